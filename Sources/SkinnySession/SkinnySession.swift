import SkinnyWire
import CallControl

/// SkinnySession: the sans-I/O SCCP session machine. Not built yet: issue 3 fills this target.
public enum SkinnySessionModule {}
