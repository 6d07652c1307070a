"""Admin file routes: the CMS file manager tree."""

from flask import Blueprint

from app.api.uploads import upload_doc
from app.core.auth import current_user, permission
from app.core.docs import BOOL, IDS, INT, STR, TIME, arr, doc, items_of, obj, page_of, path_ids
from app.core.exceptions import ParameterException
from app.core.limits import limit_upload
from app.core.pagination import paginate
from app.core.response import created, deleted, ok
from app.models import File
from app.services import files, uploads
from app.validators.file import (
    FileDeleteForm,
    FileListForm,
    FileMoveForm,
    FileRenameForm,
    FolderCreateForm,
)

bp = Blueprint("file", __name__, url_prefix="/file")

MODULE = "文件"

FILE = obj(
    ["id", "parent_id", "name", "extension", "is_folder", "size", "url", "mime_type"],
    id=INT,
    parent_id=INT,
    name=STR,
    extension=STR,
    is_folder=BOOL,
    size=INT,
    url=STR,
    mime_type=STR,
    create_time=TIME,
    update_time=TIME,
)
FOLDER_NODE = obj(
    ["id", "parent_id", "name", "children"],
    id=INT,
    parent_id=INT,
    name=STR,
    children=arr({"type": "object", "description": "FolderNode"}),
)


@bp.get("/list")
@permission("查询文件列表", MODULE)
@doc("List a folder", query=FileListForm, data=page_of(FILE))
def list_files():
    """List one folder: folders first, then files, each by name."""
    form = FileListForm().validate_or_raise()
    statement = files.list_statement(form.parent_id.data, form.keyword.data)
    return ok(paginate(statement, form, File.to_dict))


@bp.get("/folder")
@permission("查询文件列表", MODULE)
@doc("Folder tree", data=FOLDER_NODE)
def get_folder_tree():
    """Answer every live folder as a tree under the root."""
    return ok(files.folder_tree())


@bp.get("/types")
@permission("查询文件列表", MODULE)
@doc("Allowed upload extensions", data=items_of(STR))
def list_file_types():
    """List the extensions uploads accept."""
    return ok({"items": uploads.allowed_extensions()})


@bp.get("/name/<string:name>")
@permission("查询文件列表", MODULE)
@doc("Files by exact name", data=items_of(FILE), path={"name": {"type": "string"}})
def list_files_by_name(name: str):
    """List the files and folders named exactly so, in any folder."""
    return ok({"items": [row.to_dict() for row in files.by_name(name)]})


@bp.get("/<int:file_id>")
@permission("查询文件列表", MODULE)
@doc("Get a file or folder", data=FILE, path=path_ids("file_id"))
def get_file(file_id: int):
    """Answer one file or folder; id 0 is the root folder."""
    if file_id == files.ROOT:
        return ok(File.root_dict())
    return ok(files.tree_node(file_id).to_dict())


def _upload_into(parent_id: int):
    files.folder(parent_id)  # 404 before reading the parts
    items = uploads.files_from_request()
    rows = files.upload(parent_id, items, current_user().id)
    return created([row.to_dict() for row in rows])


@bp.post("/<int:parent_id>")
@permission("上传文件", MODULE)
@limit_upload
@upload_doc("Upload files into a folder", data=arr(FILE), path=path_ids("parent_id"), multiple=True)
def upload_files(parent_id: int):
    """Store the uploaded `file` parts in a folder."""
    return _upload_into(parent_id)


@bp.post("")
@permission("上传文件", MODULE)
@limit_upload
@upload_doc("Upload files into the root", data=arr(FILE), multiple=True)
def upload_root_files():
    """Store the uploaded `file` parts in the root folder."""
    return _upload_into(files.ROOT)


@bp.post("/new")
@permission("新建文件夹", MODULE)
@doc("Create a folder", body=FolderCreateForm, data=FILE, status=201)
def create_folder():
    """Create a folder."""
    form = FolderCreateForm().validate_or_raise()
    row = files.create_folder(form.parent_id.data, form.filename.data, current_user().id)
    return created(row.to_dict())


@bp.put("/rename")
@permission("重命名文件", MODULE)
@doc("Rename a file or folder", query=FileRenameForm, data=FILE, status=201)
def rename_file():
    """Rename a file or folder (its extension stays)."""
    form = FileRenameForm().validate_or_raise()
    return created(files.rename(form.file_id.data, form.filename.data).to_dict())


def _move_form() -> tuple[int, list[int]]:
    form = FileMoveForm().validate_or_raise()
    ids = form.target_ids()
    if not ids:
        raise ParameterException("file_id: send file_id or ids.", errors={"file_id": ["required"]})
    return form.parent_id.data, ids


@bp.put("/move")
@permission("移动文件", MODULE)
@doc("Move files or folders", body=FileMoveForm, data=items_of(FILE), status=201)
def move_files():
    """Move files or folders into another folder."""
    parent_id, ids = _move_form()
    return created({"items": [row.to_dict() for row in files.move(parent_id, ids)]})


@bp.post("/copy")
@permission("复制文件", MODULE)
@doc("Copy files or folders", body=FileMoveForm, data=items_of(FILE), status=201)
def copy_files():
    """Copy files or folders (with their contents) into a folder."""
    parent_id, ids = _move_form()
    return created({"items": [row.to_dict() for row in files.copy(parent_id, ids)]})


@bp.delete("")
@permission("删除文件", MODULE)
@doc("Delete files or folders", query=FileDeleteForm, data=IDS, status=202)
def delete_files():
    """Delete files and folders with everything inside them."""
    form = FileDeleteForm().validate_or_raise()
    ids, objects = files.delete(form.ids.data)
    uploads.release(objects)
    return deleted({"ids": ids})
