"""The moderation queue's filters: by status (opening on the pending queue) and
by article (only those with comments waiting: a list of every article would be
useless at newsroom scale).

Both filter on indexed columns, so the queue stays fast over a million comments.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef

from articles.models import Article
from comments.models import Comment, CommentReport

Status = Comment.Status
ALL_STATUSES = "all"


REPORTED = "reported"


def status_counts() -> dict[str, int]:
    """How many comments have each status, and how many have open reader reports.

    Two indexed counts (the status index, the partial index on open reports),
    whatever the size of the table: "Pending (5)", "Reported (2)", "Spam (31)".
    """
    counts = dict(Comment.objects.order_by().values_list("status").annotate(count=Count("id")))
    counts[REPORTED] = (
        CommentReport.objects.filter(resolved_at=None)
        .order_by()
        .values("comment_id")
        .distinct()
        .count()
    )
    return counts


class StatusFilter(admin.SimpleListFilter):
    """Opens on the moderation queue (pending); "Reported" lists comments with
    open reader reports; "All" lists every comment. Each choice shows its count."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = status_counts()
        choices = [(value, f"{label} ({counts.get(value, 0)})") for value, label in Status.choices]
        choices.insert(1, (REPORTED, f"Reported ({counts[REPORTED]})"))
        return [*choices, (ALL_STATUSES, "All")]

    def value(self):
        return super().value() or Status.PENDING

    def queryset(self, request, queryset):
        value = self.value()
        if value == ALL_STATUSES:
            return queryset
        if value == REPORTED:
            open_reports = CommentReport.objects.filter(comment_id=OuterRef("pk"), resolved_at=None)
            return queryset.filter(Exists(open_reports))
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset.none()

    def choices(self, changelist):
        # No "All" entry of Django's own (it would mean "pending" here).
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ArticleFilter(admin.SimpleListFilter):
    """Filter by article: offers the articles with comments awaiting moderation
    (a list of all articles would be useless at newsroom scale); the article
    column links to the filter for any article."""

    title = "article"
    parameter_name = "article"
    max_choices = 15

    def lookups(self, request, model_admin):
        article_ids = list(
            Comment.objects.pending()
            .order_by("-created_at")
            .values_list("article_id", flat=True)[:200]
        )
        wanted = list(dict.fromkeys(article_ids))[: self.max_choices]
        if self.value() and self.value().isdigit() and int(self.value()) not in wanted:
            wanted.append(int(self.value()))
        headlines = dict(Article.objects.filter(pk__in=wanted).values_list("pk", "headline"))
        return [(str(pk), headlines[pk]) for pk in wanted if pk in headlines]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(article_id=int(value))


class NewsroomReplyFilter(admin.BooleanFieldListFilter):
    """``is_staff_reply`` under a title that reads as one ("By newsroom reply", not
    "By from the newsroom", the field's label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "newsroom reply"
