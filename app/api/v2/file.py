"""Admin file routes: the CMS file manager tree."""

from flask import Blueprint

from app.api.resource import Resource, caller_id
from app.core.exceptions import Duplicated, FileNotFound, InvalidFileMove, ParameterException
from app.core.pagination import paginate
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
READ = "查询文件列表"
UPLOAD = "上传文件"


def _upload_into(parent_id: int):
    files.folder(parent_id)  # 404 before reading the parts
    return files.upload(parent_id, uploads.files_from_request(), caller_id())


def _targets(form) -> tuple[int, list[int]]:
    ids = form.target_ids()
    if not ids:
        raise ParameterException("file_id: send file_id or ids.", errors={"file_id": ["required"]})
    return form.parent_id.data, ids


def _delete(form):
    ids, objects = files.delete(form.ids.data)
    uploads.release(objects)
    return {"ids": ids}


tree = Resource(bp, MODULE, shape=AdminFile, missing=[FileNotFound], key="file_id")
tree.view(
    "GET",
    "/list",
    "list_files",
    READ,
    "List a folder",
    "List one folder: folders first, then files, each by name.",
    lambda form: paginate(files.list_statement(form.parent_id.data, form.keyword.data), form),
    query=FileListForm,
    data=Page(AdminFile),
    errors=[FileNotFound],
)
tree.view(
    "GET",
    "/folder",
    "get_folder_tree",
    READ,
    "Folder tree",
    "Answer every live folder as a tree under the root.",
    files.folder_tree,
    data=FolderNode,
)
tree.view(
    "GET",
    "/types",
    "list_file_types",
    READ,
    "Allowed upload extensions",
    "List the extensions uploads accept.",
    lambda: {"items": uploads.allowed_extensions()},
    data=FileTypes,
)
tree.view(
    "GET",
    "/name/<string:name>",
    "list_files_by_name",
    READ,
    "Files by exact name",
    "List the files and folders named exactly so, in any folder.",
    lambda name: {"items": files.by_name(name)},
    data=Items(AdminFile),
    path={"name": {"type": "string"}},
)
tree.get(
    "get_file",
    READ,
    "Get a file or folder",
    "Answer one file or folder; id 0 is the root folder.",
    files.get_node,
)
tree.upload(
    "/<int:parent_id>",
    "upload_files",
    UPLOAD,
    "Upload files into a folder",
    "Store the uploaded `file` parts in a folder.",
    _upload_into,
    data=ArrayOf(AdminFile),
    multiple=True,
    errors=[FileNotFound],
)
tree.upload(
    "",
    "upload_root_files",
    UPLOAD,
    "Upload files into the root",
    "Store the uploaded `file` parts in the root folder.",
    lambda: _upload_into(files.ROOT),
    data=ArrayOf(AdminFile),
    multiple=True,
)
tree.view(
    "POST",
    "/new",
    "create_folder",
    "新建文件夹",
    "Create a folder",
    "Create a folder.",
    lambda form: files.create_folder(form.parent_id.data, form.filename.data, caller_id()),
    body=FolderCreateForm,
    errors=[FileNotFound, Duplicated],
)
tree.view(
    "PUT",
    "/rename",
    "rename_file",
    "重命名文件",
    "Rename a file or folder",
    "Rename a file or folder (its extension stays).",
    lambda form: files.rename(form.file_id.data, form.filename.data),
    query=FileRenameForm,
    errors=[FileNotFound, Duplicated],
)
tree.view(
    "PUT",
    "/move",
    "move_files",
    "移动文件",
    "Move files or folders",
    "Move files or folders into another folder.",
    lambda form: {"items": files.move(*_targets(form))},
    body=FileMoveForm,
    data=Items(AdminFile),
    errors=[FileNotFound, InvalidFileMove, Duplicated],
)
tree.view(
    "POST",
    "/copy",
    "copy_files",
    "复制文件",
    "Copy files or folders",
    "Copy files or folders (with their contents) into a folder.",
    lambda form: {"items": files.copy(*_targets(form))},
    body=FileMoveForm,
    data=Items(AdminFile),
    errors=[FileNotFound, InvalidFileMove],
)
tree.view(
    "DELETE",
    "",
    "delete_files",
    "删除文件",
    "Delete files or folders",
    "Delete files and folders with everything inside them.",
    _delete,
    query=FileDeleteForm,
    data=Ids,
    errors=[FileNotFound],
)
