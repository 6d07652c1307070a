"""Admin file routes: the CMS file manager tree."""

from flask import Blueprint

from app.core.auth import current_user, permission
from app.core.docs import doc, path_ids, upload_doc
from app.core.exceptions import Duplicated, FileNotFound, InvalidFileMove, ParameterException
from app.core.limits import limit_upload
from app.core.pagination import paginate
from app.models import File
from app.schemas.base import ArrayOf, Items, Page
from app.schemas.common import Ids
from app.schemas.file import AdminFile, FileTypes, FolderNode
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


@bp.get("/list")
@permission("查询文件列表", MODULE)
@doc("List a folder", query=FileListForm, data=Page(AdminFile), errors=[FileNotFound])
def list_files():
    """List one folder: folders first, then files, each by name."""
    form = FileListForm().validate_or_raise()
    statement = files.list_statement(form.parent_id.data, form.keyword.data)
    return paginate(statement, form)


@bp.get("/folder")
@permission("查询文件列表", MODULE)
@doc("Folder tree", data=FolderNode)
def get_folder_tree():
    """Answer every live folder as a tree under the root."""
    return files.folder_tree()


@bp.get("/types")
@permission("查询文件列表", MODULE)
@doc("Allowed upload extensions", data=FileTypes)
def list_file_types():
    """List the extensions uploads accept."""
    return {"items": uploads.allowed_extensions()}


@bp.get("/name/<string:name>")
@permission("查询文件列表", MODULE)
@doc("Files by exact name", data=Items(AdminFile), path={"name": {"type": "string"}})
def list_files_by_name(name: str):
    """List the files and folders named exactly so, in any folder."""
    return {"items": files.by_name(name)}


@bp.get("/<int:file_id>")
@permission("查询文件列表", MODULE)
@doc("Get a file or folder", data=AdminFile, path=path_ids("file_id"), errors=[FileNotFound])
def get_file(file_id: int):
    """Answer one file or folder; id 0 is the root folder."""
    if file_id == files.ROOT:
        return File.root()
    return files.tree_node(file_id)


def _upload_into(parent_id: int):
    files.folder(parent_id)  # 404 before reading the parts
    items = uploads.files_from_request()
    rows = files.upload(parent_id, items, current_user().id)
    return rows


@bp.post("/<int:parent_id>")
@permission("上传文件", MODULE)
@limit_upload
@upload_doc(
    "Upload files into a folder",
    data=ArrayOf(AdminFile),
    path=path_ids("parent_id"),
    multiple=True,
    errors=[FileNotFound],
)
def upload_files(parent_id: int):
    """Store the uploaded `file` parts in a folder."""
    return _upload_into(parent_id)


@bp.post("")
@permission("上传文件", MODULE)
@limit_upload
@upload_doc("Upload files into the root", data=ArrayOf(AdminFile), multiple=True)
def upload_root_files():
    """Store the uploaded `file` parts in the root folder."""
    return _upload_into(files.ROOT)


@bp.post("/new")
@permission("新建文件夹", MODULE)
@doc(
    "Create a folder",
    body=FolderCreateForm,
    data=AdminFile,
    status=201,
    errors=[FileNotFound, Duplicated],
)
def create_folder():
    """Create a folder."""
    form = FolderCreateForm().validate_or_raise()
    row = files.create_folder(form.parent_id.data, form.filename.data, current_user().id)
    return row


@bp.put("/rename")
@permission("重命名文件", MODULE)
@doc(
    "Rename a file or folder",
    query=FileRenameForm,
    data=AdminFile,
    status=201,
    errors=[FileNotFound, Duplicated],
)
def rename_file():
    """Rename a file or folder (its extension stays)."""
    form = FileRenameForm().validate_or_raise()
    return files.rename(form.file_id.data, form.filename.data)


def _move_form() -> tuple[int, list[int]]:
    form = FileMoveForm().validate_or_raise()
    ids = form.target_ids()
    if not ids:
        raise ParameterException("file_id: send file_id or ids.", errors={"file_id": ["required"]})
    return form.parent_id.data, ids


@bp.put("/move")
@permission("移动文件", MODULE)
@doc(
    "Move files or folders",
    body=FileMoveForm,
    data=Items(AdminFile),
    status=201,
    errors=[FileNotFound, InvalidFileMove, Duplicated],
)
def move_files():
    """Move files or folders into another folder."""
    parent_id, ids = _move_form()
    return {"items": files.move(parent_id, ids)}


@bp.post("/copy")
@permission("复制文件", MODULE)
@doc(
    "Copy files or folders",
    body=FileMoveForm,
    data=Items(AdminFile),
    status=201,
    errors=[FileNotFound, InvalidFileMove],
)
def copy_files():
    """Copy files or folders (with their contents) into a folder."""
    parent_id, ids = _move_form()
    return {"items": files.copy(parent_id, ids)}


@bp.delete("")
@permission("删除文件", MODULE)
@doc("Delete files or folders", query=FileDeleteForm, data=Ids, status=202, errors=[FileNotFound])
def delete_files():
    """Delete files and folders with everything inside them."""
    form = FileDeleteForm().validate_or_raise()
    ids, objects = files.delete(form.ids.data)
    uploads.release(objects)
    return {"ids": ids}
