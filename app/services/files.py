"""The CMS file manager: one tree of folders and files shared by all staff.

Folder 0 is the root and has no row. Rows with `parent_id` NULL are private uploads (avatars,
uploaded catalog images) and are invisible here. Names are unique among the live rows of a
folder, compared exactly.
"""

import re

from sqlalchemy import select

from app.core.exceptions import Duplicated, FileNotFound, InvalidFileMove
from app.core.filters import keyword_filter
from app.extensions import db
from app.models import File
from app.services import uploads
from app.services.uploads import StoredObject, Upload, split_extension

ROOT = 0
# No folder separators, control characters or lone surrogates (which no database can store).
NAME_PATTERN = r"[^/\\\x00-\x1f\x7f\ud800-\udfff]+"
_SUFFIXED = re.compile(r"^(?P<stem>.*) \((?P<n>[0-9]+)\)$")


# ------------------------------------------------------------------ lookups


def tree_node(file_id: int) -> File:
    """A live file or folder of the tree (404 / 10360 otherwise)."""
    row = db.session.get(File, file_id) if file_id > 0 else None
    if row is None or row.delete_time is not None or row.parent_id is None:
        raise FileNotFound()
    return row


def get_node(file_id: int) -> File:
    """A file or folder to show: a live row of the tree, or the root folder for id 0."""
    return File.root() if file_id == ROOT else tree_node(file_id)


def folder(folder_id: int) -> File | None:
    """The live folder (None for the root); a missing folder or a file is 404 / 10360."""
    if folder_id == ROOT:
        return None
    row = tree_node(folder_id)
    if not row.is_folder:
        raise FileNotFound(f"{folder_id} is not a folder")
    return row


def list_statement(parent_id: int, keyword: str | None = None):
    """Live rows of one folder: folders first, then files, each by name."""
    folder(parent_id)
    statement = select(File).where(File.parent_id == parent_id)
    statement = keyword_filter(statement, keyword, File.name)
    return statement.order_by(File.is_folder.desc(), File.name, File.id)


def by_name(name: str) -> list[File]:
    return list(
        db.session.scalars(
            select(File).where(File.name == name, File.parent_id.is_not(None)).order_by(File.id)
        )
    )


def _folders() -> list[File]:
    return list(
        db.session.scalars(
            select(File).where(File.is_folder, File.parent_id.is_not(None)).order_by(File.id)
        )
    )


def folder_tree() -> dict:
    """FolderNode root holding every live folder; children by name."""
    children: dict[int, list[File]] = {}
    for row in _folders():
        children.setdefault(row.parent_id, []).append(row)

    def node(row_id: int, parent_id: int, name: str) -> dict:
        kids = sorted(children.get(row_id, []), key=lambda r: (r.name, r.id))
        return {
            "id": row_id,
            "parent_id": parent_id,
            "name": name,
            "children": [node(kid.id, kid.parent_id, kid.name) for kid in kids],
        }

    return node(ROOT, ROOT, "")


# ------------------------------------------------------------------- names


def _names_in(parent_id: int) -> set[str]:
    return set(db.session.scalars(select(File.name).where(File.parent_id == parent_id)))


def free_name(name: str, taken: set[str], is_folder: bool = False) -> str:
    """`name`, or `a (1).png`, `a (2).png`... when taken (the extension stays last)."""
    if name not in taken:
        return name
    stem, ext = (name, "") if is_folder else split_extension(name)
    matched = _SUFFIXED.match(stem)
    if matched:
        stem = matched.group("stem")
    number = 1
    while True:
        suffix = f" ({number}){ext}"
        candidate = stem[: 100 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def _check_free(parent_id: int, name: str, exclude_id: int | None = None) -> None:
    # Compared in Python: MariaDB's collation would also match other letter cases.
    rows = db.session.execute(
        select(File.id, File.name).where(File.parent_id == parent_id, File.name == name)
    )
    if any(row_name == name and row_id != exclude_id for row_id, row_name in rows):
        raise Duplicated(f"{name} already exists in this folder")


# ------------------------------------------------------------------ writes


def upload(parent_id: int, files: list[Upload], owner_id: int | None) -> list[File]:
    """Store uploaded files in a folder; a clashing name gets a numbered suffix."""
    folder(parent_id)
    taken = _names_in(parent_id)
    rows = []
    for item in files:
        stored = uploads.store(item)
        name = free_name(item.name, taken)
        taken.add(name)
        rows.append(
            uploads.file_row(item, stored, parent_id=parent_id, name=name, owner_id=owner_id)
        )
    db.session.add_all(rows)
    db.session.commit()
    return rows


def create_folder(parent_id: int, name: str, owner_id: int | None) -> File:
    folder(parent_id)
    _check_free(parent_id, name)
    row = File(parent_id=parent_id, name=name, is_folder=True, owner_id=owner_id)
    db.session.add(row)
    db.session.commit()
    return row


def rename(file_id: int, name: str) -> File:
    """Store the name as given; the `extension` column never changes."""
    row = tree_node(file_id)
    if name != row.name:
        _check_free(row.parent_id, name, exclude_id=row.id)
        row.name = name
        db.session.commit()
    return row


def _ancestors(folder_id: int) -> set[int]:
    """The folder and every folder above it (the root excluded)."""
    parents = {row.id: row.parent_id for row in _folders()}
    found = set()
    current = folder_id
    while current and current not in found:
        found.add(current)
        current = parents.get(current, ROOT)
    return found


def _sources_and_target(parent_id: int, ids: list[int]) -> list[File]:
    """The rows to move or copy, after the target checks (400 / 10370, 404 / 10360)."""
    if parent_id != ROOT:
        target = tree_node(parent_id)
        if not target.is_folder:
            raise InvalidFileMove("The target is a file, not a folder")
    rows = [tree_node(file_id) for file_id in ids]
    above_target = _ancestors(parent_id)
    for row in rows:
        if row.is_folder and row.id in above_target:
            raise InvalidFileMove(f"Folder {row.name} cannot go into itself or its subfolders")
    return rows


def move(parent_id: int, ids: list[int]) -> list[File]:
    """Move rows into a folder; any name clash there answers 409 and nothing moves."""
    rows = _sources_and_target(parent_id, ids)
    moving = [row for row in rows if row.parent_id != parent_id]
    taken = _names_in(parent_id)
    for row in moving:
        if row.name in taken:
            raise Duplicated(f"{row.name} already exists in the target folder")
        taken.add(row.name)
    for row in moving:
        row.parent_id = parent_id
    db.session.commit()
    return rows


# What a copy shares with its original: everything but its place (parent and name).
COPIED_COLUMNS = (
    "is_folder",
    "extension",
    "size",
    "mime_type",
    "storage",
    "storage_key",
    "sha256",
    "owner_id",
)


def _copy_row(row: File, parent_id: int, name: str) -> File:
    shared = {column: getattr(row, column) for column in COPIED_COLUMNS}
    clone = File(parent_id=parent_id, name=name, **shared)
    db.session.add(clone)
    return clone


def _children(folder_ids: list[int]) -> list[File]:
    if not folder_ids:
        return []
    return list(
        db.session.scalars(select(File).where(File.parent_id.in_(folder_ids)).order_by(File.id))
    )


def copy(parent_id: int, ids: list[int]) -> list[File]:
    """Copy rows (folders with their subtree) into a folder; stored objects are shared."""
    rows = _sources_and_target(parent_id, ids)
    taken = _names_in(parent_id)
    copies = []
    pending: list[tuple[File, File]] = []  # (source folder, its copy)
    for row in rows:
        name = free_name(row.name, taken, row.is_folder)
        taken.add(name)
        clone = _copy_row(row, parent_id, name)
        copies.append(clone)
        if row.is_folder:
            pending.append((row, clone))
    db.session.flush()
    while pending:
        by_source = {source.id: clone for source, clone in pending}
        pending = []
        for child in _children(list(by_source)):
            clone = _copy_row(child, 0, child.name)
            clone.parent_id = by_source[child.parent_id].id
            if child.is_folder:
                pending.append((child, clone))
        db.session.flush()
    db.session.commit()
    return copies


def delete(ids: list[int]) -> tuple[list[int], list[StoredObject]]:
    """Soft-delete rows and everything inside deleted folders; all ids must exist."""
    rows = [tree_node(file_id) for file_id in ids]
    doomed = {row.id: row for row in rows}
    folders = [row.id for row in rows if row.is_folder]
    while folders:
        found = [child for child in _children(folders) if child.id not in doomed]
        doomed.update((child.id, child) for child in found)
        folders = [child.id for child in found if child.is_folder]
    objects = [
        StoredObject(row.storage, row.storage_key) for row in doomed.values() if row.storage_key
    ]
    for row in doomed.values():
        row.soft_delete()
    db.session.commit()
    return sorted(doomed), objects
