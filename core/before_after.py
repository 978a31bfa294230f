"""The model imports' preview (django-import-export) as before → after, value by value.

The library's preview shows a changed value as a character diff ("1<del>0</del><ins>25</ins>0"), which reads
badly for figures. ``BeforeAfterDiff`` shows the whole old value struck through, an arrow and the whole new value
for each field an update changes; unchanged fields and new rows show their value as it is. Resources use it through
``get_diff_class`` (``statistics.resources.RecordedResource``).
"""

from django.utils.encoding import force_str
from django.utils.html import format_html
from import_export.resources import Diff


class BeforeAfterDiff(Diff):
    def as_html(self):
        cells = []
        for before, after in zip(self.left, self.right, strict=False):
            before, after = force_str(before), force_str(after)
            if self.new or before == after:
                cells.append(format_html("{}", after))
            else:
                cells.append(
                    format_html(
                        '<del class="before">{}</del> → <ins class="after">{}</ins>', before or "∅", after or "∅"
                    )
                )
        return cells
