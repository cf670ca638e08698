import SkinnyWire

/// SkinnyPhone: a simulated SCCP phone. Not built yet: issue 3 fills this target.
public enum SkinnyPhoneModule {}
