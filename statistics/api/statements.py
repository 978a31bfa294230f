"""The SQL of a figures page, compiled once per shape of query rather than once per request.

After the filters, the ORM still compiled every 100-row page anew — select list, joins, default ordering through the
region, window count — about a quarter of an uncached request's time (issue 16, profile in ``docs/decisions.md``),
although a list asked with other values (another year, another region) gives the same SQL with other parameters.

``page_rows(queryset)`` reads the page of a ``values()`` queryset. Its *shape* is what decides the SQL apart from the
parameters: the model, the selected names, the joins, the ordering, the slice, and each condition of the WHERE
clause as (table, column, lookup). When the conditions are a plain AND of lookups on columns with one plain value
each, and the compiled parameters are exactly those values in order (checked when the shape is first compiled), the
statement is kept and later requests of that shape run it with their own values. Anything else — an OR, a
subquery, a lookup that changes its value (``icontains`` adds ``%``), a list — is compiled as usual, every time.
Rows and converters are those of Django's ``values()`` iterable, so the rows are the same either way.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND

MAX_STATEMENTS = 1000  # shapes × pages; cleared when full (each is rebuilt on its next request)
PLAIN = (int, str)
_statements: dict = {}


def _conditions(where) -> list | None:
    """The WHERE clause's lookups, if it is a plain AND of column lookups with one plain value each; else None."""
    if where.connector != AND or where.negated:
        return None
    conditions = []
    for child in where.children:
        if not (isinstance(child, Lookup) and isinstance(child.lhs, Col) and type(child.rhs) in PLAIN):
            return None
        conditions.append(child)
    return conditions


def _shape(query, alias: str, conditions: list) -> tuple:
    connection = connections[alias]
    return (
        connection.vendor,
        query.model,
        tuple(query.extra_select),
        tuple(query.values_select),
        tuple(query.annotation_select),
        tuple(query.selected or ()),
        tuple((name, getattr(join, "join_type", None)) for name, join in query.alias_map.items()),
        tuple(query.order_by),
        query.default_ordering,
        query.low_mark,
        query.high_mark,
        query.distinct,
        tuple((c.lhs.alias, c.lhs.target.column, c.lookup_name, type(c.rhs)) for c in conditions),
    )


def _compile(query, alias: str, conditions: list):
    """The statement of ``query`` (its SQL, row names and converters), its parameters, and whether the statement may
    be reused with other values (its parameters are exactly the conditions' values, in order)."""
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    names = (
        list(query.selected)
        if query.selected
        else [*query.extra_select, *query.values_select, *query.annotation_select]
    )
    converters = compiler.get_converters(
        [expression for expression, _sql, _alias in compiler.select[: compiler.col_count]]
    )
    reusable = list(params) == [c.rhs for c in conditions]
    return (sql, names, converters), tuple(params), reusable


def page_rows(queryset) -> list[dict]:
    """The rows of ``queryset`` (a sliced ``values()`` queryset), as ``list(queryset)`` gives them."""
    query = queryset.query
    if query.combinator:  # unions: Django's own path
        return list(queryset)
    conditions = _conditions(query.where)
    if conditions is None:
        return list(queryset)
    alias = queryset.db
    shape = _shape(query, alias, conditions)
    statement = _statements.get(shape)
    if statement is not None:
        params = tuple(c.rhs for c in conditions)
    else:
        try:
            statement, params, reusable = _compile(query, alias, conditions)
        except EmptyResultSet:  # as Django's iterables: no rows, no query
            return []
        if reusable:
            if len(_statements) >= MAX_STATEMENTS:
                _statements.clear()
            _statements[shape] = statement
    return _run(alias, statement, params)


def _run(alias: str, statement, params) -> list[dict]:
    sql, names, converters = statement
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = [list(row) for row in rows]
        for position, (functions, expression) in converters.items():
            for row in rows:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
    # not strict: columns Django selects for itself (none for these lists) would follow the named ones
    return [dict(zip(names, row, strict=False)) for row in rows]
