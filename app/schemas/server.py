"""Server monitor shapes: host and process figures."""

from app.schemas.base import ADMIN, Int, Nested, Shape, Str, Time


class ServerSystem(Shape):
    """The host."""

    hostname = Str()
    ip = Str()
    mac = Str()
    os = Str()


class ServerCpu(Shape):
    """Processors and load."""

    count = Int()
    percent = Str()


class ServerUsage(Shape):
    """Memory or disk: sizes as text ("1.5G") and the share used."""

    total = Str()
    free = Str()
    percent = Str()


class ServerProject(Shape):
    """This application: versions, start time and uptime in seconds."""

    audience = ADMIN
    name = Str()
    version = Str()
    python = Str()
    flask = Str()
    start_time = Time()
    uptime = Int()


class ServerInfo(Shape):
    """CPU, memory, disk and version figures."""

    audience = ADMIN
    system = Nested(ServerSystem)
    cpu = Nested(ServerCpu)
    memory = Nested(ServerUsage)
    disk = Nested(ServerUsage)
    project = Nested(ServerProject)
