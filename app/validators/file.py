"""Forms of the file manager and image routes (/v2/file, /v2/image)."""

from app.core.forms import BaseForm, IdListField, IntegerField, PageForm, StringField
from app.services.files import NAME_PATTERN


def _filename(required: bool) -> StringField:
    return StringField(
        required=required,
        min_length=1,
        max_length=100,
        pattern=NAME_PATTERN,
        pattern_message="May not contain /, \\ or control characters.",
        description="display name",
    )


class FileListForm(PageForm):
    parent_id = IntegerField(min_value=0, default=0, description="folder id, 0 = root")
    keyword = StringField(max_length=100, description="name contains")


class FolderCreateForm(BaseForm):
    parent_id = IntegerField(min_value=0, default=0, description="folder id, 0 = root")
    filename = _filename(required=True)


class FileRenameForm(BaseForm):
    file_id = IntegerField(required=True, min_value=1)
    filename = _filename(required=True)


class FileMoveForm(BaseForm):
    parent_id = IntegerField(required=True, min_value=0, description="target folder, 0 = root")
    file_id = IntegerField(min_value=1, description="one row (or use ids)")
    ids = IdListField(min_count=1, max_count=100, description="several rows")

    def target_ids(self) -> list[int]:
        ids = list(self.ids.data or []) if self.ids.present else []
        if self.file_id.present and self.file_id.data not in ids:
            ids.insert(0, self.file_id.data)
        return ids


class FileDeleteForm(BaseForm):
    ids = IdListField(required=True, min_count=1, max_count=100)


class NetworkImageForm(BaseForm):
    url = StringField(
        required=True,
        min_length=1,
        max_length=255,
        pattern=r"https?://[^\s/$.?#\ud800-\udfff][^\s\ud800-\udfff]*",
        pattern_message="Must be an absolute http:// or https:// URL.",
    )
