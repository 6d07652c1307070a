"""List filters shared by every list statement."""

from sqlalchemy import or_


def keyword_filter(statement, keyword: str | None, *columns):
    """`statement` narrowed to rows where any of `columns` contains `keyword` as typed (LIKE
    wildcards in it are matched literally); unchanged when there is no keyword."""
    if not keyword:
        return statement
    return statement.where(or_(*(column.contains(keyword, autoescape=True) for column in columns)))
