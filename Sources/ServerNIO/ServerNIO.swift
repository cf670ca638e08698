import SkinnySession

/// ServerNIO: listeners, pipelines and guards. Not built yet: issue 3 fills this target.
public enum ServerNIOModule {}
