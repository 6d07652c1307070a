"""File manager shapes: a file or folder, the folder tree, the upload types."""

from app import models
from app.schemas.base import ADMIN, Computed, Int, List, Nested, Shape, Str


class AdminFile(Shape):
    """A file or folder of the file manager (its storage key and hash never leave the server).

    A folder answers an empty extension and mime type and a size of 0.
    """

    audience = ADMIN
    model = models.File
    answers = "id parent_id name extension is_folder size url mime_type create_time update_time"
    parent_id = Computed(lambda f: f.parent_id or 0, Int())
    extension = Computed(lambda f: "" if f.is_folder else f.extension, Str())
    size = Computed(lambda f: 0 if f.is_folder else f.size, Int())
    url = Str()
    mime_type = Computed(lambda f: "" if f.is_folder else f.mime_type, Str())


class FolderNode(Shape):
    """A folder with its subfolders, by name; the root is id 0 with an empty name."""

    model = models.File
    answers = "id parent_id name"
    parent_id = Int()


# A node holds nodes: the field is added once the class exists (before any instance is made).
FolderNode._declared_fields["children"] = List(Nested(FolderNode))


class FileTypes(Shape):
    """The file extensions uploads accept."""

    items = List(Str())
