"""Forms of the reader's own pages: report a comment, correct it, ask for their data."""

from __future__ import annotations

from django import forms

from comments.models import EMAIL_MAX_LENGTH, TEXT_MAX_LENGTH, CommentReport


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Anything the moderators should know (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 45}),
    )


class EditCommentForm(forms.Form):
    comment = forms.CharField(
        label="Your comment",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
    )


class YourDataForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=EMAIL_MAX_LENGTH)
    purpose = forms.ChoiceField(
        label="What would you like?",
        choices=[
            ("export", "A copy of everything stored about my address (JSON)"),
            ("erase", "Erase my name, email address and comments' details"),
        ],
        widget=forms.RadioSelect,
        initial="export",
    )
