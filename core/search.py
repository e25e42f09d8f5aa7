"""Diacritic- and case-insensitive search backed by PostgreSQL ``unaccent`` and trigram indexes.

Index the expression with ``GinIndex(OpClass(KcUnaccent("name"), name="gin_trgm_ops"), name=...)`` and
filter with :func:`unaccent_contains`; the search text is folded in Python the same way the SQL
function folds columns, so the query is a plain ``LIKE '%…%'`` on the indexed expression.
"""

from __future__ import annotations

import unicodedata
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q


class KcUnaccent(models.Func):
    """``kc_unaccent(expr)``: lower-cased text without Vietnamese diacritics (immutable, indexable)."""

    function = "kc_unaccent"
    output_field = models.TextField()


def fold(text: str) -> str:
    """Fold text as ``kc_unaccent`` does: no diacritics, đ → d, lower case, single spaces."""
    # NUL cannot reach PostgreSQL (and no column holds one): a junk ``?q=%00`` just matches less.
    text = text.replace("\x00", "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def unaccent_contains(fields: list[str], query: str) -> Q:
    """A Q matching rows where any of ``fields`` contains ``query``, ignoring diacritics and case."""
    folded = fold(query)
    if not folded:
        return Q()
    lookups = [Q(**{f"{field}__kc_contains": folded}) for field in fields]
    return reduce(or_, lookups)


@models.CharField.register_lookup
@models.TextField.register_lookup
class KcContains(models.Lookup):
    """``field__kc_contains='text'``: ``kc_unaccent(field) LIKE '%text%'`` (text already folded)."""

    lookup_name = "kc_contains"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        pattern = "%" + connection.ops.prep_for_like_query(rhs_params[0]) + "%"
        return f"kc_unaccent({lhs}) LIKE %s", [*lhs_params, pattern]
