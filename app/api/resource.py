"""Declared views: the standard list/get/create/update/delete views of a resource, one line each.

A resource module declares what differs (permission, summary, description, form, service verb,
errors) and `Resource` writes the view around it, the same for every resource:

    notices = Resource(bp, MODULE, shape=AdminNotice, missing=[NoticeNotFound])
    notices.get("get_notice", "查询通知列表", "Get a notice", "Get one notice.", content.get_notice)

registers `GET /<int:id>` as endpoint `get_notice`, guarded by the permission (name, MODULE),
documented by `@doc` (summary, the shape, the `id` path parameter, the errors) and described by
the docstring given, exactly as the hand-written stack of decorators would. The service verbs
take the path id and the validated form's data (`form.data` on create, the fields sent on
update: `form.present()`); `author=True` passes the caller first. `Resource.view` declares any
other view of one service call and `Resource.upload` a multipart upload; views that answer
otherwise (a stream, a file, a hand-made response) are still written by hand beside these.
"""

import re
from collections.abc import Callable

from flask import Blueprint

from app.core.auth import current_user, permission
from app.core.docs import doc, path_id_list, path_ids, upload_doc
from app.core.forms import PageForm, ids_in_path
from app.core.limits import limit_upload
from app.schemas.base import Page
from app.schemas.common import Id, Ids

_WRITE_STATUS = {"POST": 201, "PUT": 201, "DELETE": 202}


def declare(
    bp,
    method,
    rule,
    endpoint,
    guard,
    summary,
    description,
    run: Callable,
    document=doc,
    **documented,
):
    """Register `run` as the view `endpoint` of `bp`: route (`rule`, or each rule of a tuple
    in turn), guard, then @doc (or `document`)."""

    def view(*ids, **path):  # Flask passes the path values by name, a wrapper may by position
        return run(*ids, *path.values())

    view.__name__ = view.__qualname__ = endpoint
    view.__module__ = bp.import_name
    view.__doc__ = description
    registered = guard(document(summary, **documented)(view))
    for one in (rule,) if isinstance(rule, str) else rule:
        bp.route(one, methods=[method])(registered)
    return view


def _guard(perm, module: str):
    """A permission name of `module`, a (name, module) pair, or an access decorator as is."""
    if callable(perm):
        return perm
    name, module = perm if isinstance(perm, tuple) else (perm, module)
    return permission(name, module)


def _then(outer, inner):
    return lambda view: outer(inner(view))


def guarded(*decorators):
    """Several access decorators as one view access, the first outermost."""
    combined = decorators[-1]
    for outer in reversed(decorators[:-1]):
        combined = _then(outer, combined)
    return combined


def _ids(rule: str) -> list[str]:
    return re.findall(r"<int:(\w+)>", rule)


def _validated(form):
    return form().validate_or_raise()


def values_of(form, names) -> dict:
    """The validated values of the form's fields `names`, by name."""
    return {name: form[name].data for name in names}


def caller_id() -> int:
    """The id of the logged-in caller, for the service verbs that take it."""
    return current_user().id


def _caller(author: bool) -> tuple:
    return (current_user(),) if author else ()


class Resource:
    """The standard views of one resource: `shape` answers them, `missing` is its not-found
    error, rules are under `prefix`. Each view's access is given as `_guard` takes it."""

    def __init__(
        self,
        bp: Blueprint,
        module: str = "",
        *,
        shape=None,
        missing=(),
        prefix: str = "",
        public: bool = False,
        cache=None,
        key: str = "id",
    ):
        """public: documented without security (the views say `public` as their access);
        cache: a decorator applied inside the access check (`catalog.cached_read`);
        key: the name of the id in the path of one row."""
        self.bp, self.module, self.shape = bp, module, shape
        self.missing, self.prefix = list(missing), prefix
        self.public, self.cache = public, cache
        self.key, self.one = key, f"/<int:{key}>"  # the path parameter of one row

    def _guard(self, perm):
        """The access of a view, with the resource's cache inside it (outside @doc)."""
        guard = _guard(perm, self.module)
        return guard if self.cache is None else _then(guard, self.cache)

    def _rule(self, rule):
        return self.prefix + rule if isinstance(rule, str) else tuple(self.prefix + r for r in rule)

    def view(self, method, rule, endpoint, perm, summary, description, run, **documented):
        """Any other view of one service call: `run(*path values[, form])`, the form being the
        documented `query` or `body` form, validated first. `rule` may be a tuple of rules
        answering the same view (registered in that order). The `<int:...>` ids of the rule are
        documented as path parameters, the answer is the resource's shape unless `data` says
        otherwise, and a write answers 201 (POST, PUT) or 202 (DELETE) unless `status` does."""
        ids = _ids(rule if isinstance(rule, str) else rule[0])
        if ids:
            documented.setdefault("path", path_ids(*ids))
        documented.setdefault("status", _WRITE_STATUS.get(method, 200))
        documented.setdefault("data", self.shape)
        if self.public:
            documented.setdefault("auth", False)
        form = documented.get("query") or documented.get("body")
        call = run if form is None else (lambda *path: run(*path, _validated(form)))
        guard, rule = self._guard(perm), self._rule(rule)
        return declare(
            self.bp, method, rule, endpoint, guard, summary, description, call, **documented
        )

    def upload(
        self,
        rule,
        endpoint,
        perm,
        summary,
        description,
        store,
        *,
        data=None,
        multiple=False,
        errors=(),
    ):
        """POST `rule`: `store(*path ids)` keeps the multipart `file` parts of the request (one
        image, or several files when `multiple`), rate-limited as uploads, answered 201."""
        rule = self._rule(rule)
        return declare(
            self.bp,
            "POST",
            rule,
            endpoint,
            _then(_guard(perm, self.module), limit_upload),
            summary,
            description,
            store,
            document=upload_doc,
            data=data or self.shape,
            path=path_ids(*_ids(rule)) if _ids(rule) else None,
            multiple=multiple,
            errors=errors,
        )

    def _or_missing(self, errors):
        return self.missing if errors is None else errors

    def list(self, endpoint, perm, summary, description, page, *, form=PageForm, data=None):
        """GET /list: `page(form)` answers one page (a query form, PageForm by default)."""
        words = endpoint, perm, summary, description
        return self.view("GET", "/list", *words, page, query=form, data=data or Page(self.shape))

    def get(self, endpoint, perm, summary, description, fetch, *, data=None, errors=None):
        """GET /<int:id>: `fetch(id)`."""
        words = endpoint, perm, summary, description
        errors = self._or_missing(errors)
        return self.view("GET", self.one, *words, fetch, data=data or self.shape, errors=errors)

    def create(
        self,
        endpoint,
        perm,
        summary,
        description,
        form,
        make,
        *,
        data=None,
        errors=(),
        author=False,
    ):
        """POST: `make([caller,] form.data)`, answered 201."""
        words = endpoint, perm, summary, description
        run = lambda form: make(*_caller(author), form.data)  # noqa: E731
        return self.view("POST", "", *words, run, body=form, data=data or self.shape, errors=errors)

    def update(
        self,
        endpoint,
        perm,
        summary,
        description,
        form,
        change,
        *,
        data=None,
        errors=None,
        author=False,
        rule=None,
    ):
        """PUT /<int:id> (or `rule`, a row under it): `change(*path ids, [caller,] fields sent)`,
        answered 201."""
        words = endpoint, perm, summary, description

        def run(*path):
            *ids, validated = path
            return change(*ids, *_caller(author), validated.present())

        rule, data, errors = rule or self.one, data or self.shape, self._or_missing(errors)
        return self.view("PUT", rule, *words, run, body=form, data=data, errors=errors)

    def delete(self, endpoint, perm, summary, description, remove, *, errors=None, rule=None):
        """DELETE /<int:id> (or `rule`, a row under it): `remove(*path ids)`, answered 202 with
        the last id."""
        words = endpoint, perm, summary, description

        def run(*ids):
            remove(*ids)
            return {"id": ids[-1]}

        errors = self._or_missing(errors)
        return self.view("DELETE", rule or self.one, *words, run, data=Id, errors=errors)

    def delete_many(
        self, endpoint, perm, summary, description, remove, *, errors=None, field_errors=False
    ):
        """DELETE /<ids>: `remove(ids)` of one id or a comma list, answered 202 with the ids."""
        words = endpoint, perm, summary, description
        run = lambda ids: {"ids": remove(ids_in_path(ids, field_errors=field_errors))}  # noqa: E731
        return self.view(
            "DELETE",
            "/<ids>",
            *words,
            run,
            data=Ids,
            path=path_id_list("ids"),
            errors=self._or_missing(errors),
        )
