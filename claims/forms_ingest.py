"""Forms for the ingest page."""

from django import forms
from django.core.exceptions import ValidationError

from claims.ingest import MAX_BYTES, clean_ingest_text
from claims.models import Story


class IngestForm(forms.Form):
    story = forms.ModelChoiceField(
        queryset=Story.objects.order_by("title"), empty_label="Choose a story…"
    )
    text = forms.CharField(
        label="Paste live updates",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    file = forms.FileField(
        label="…or upload a .txt file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > MAX_BYTES:
            raise ValidationError("The file is over 2 MB. Split it and upload it in parts.")
        raw = upload.read(MAX_BYTES + 1)
        if b"\x00" in raw:
            raise ValidationError("This looks like a binary file, not text. Upload a .txt file.")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                "The file is not UTF-8 text. Save it as plain UTF-8 text and upload it again."
            ) from None

    def clean(self):
        cleaned = super().clean()
        text, uploaded = cleaned.get("text") or "", cleaned.get("file")
        if self.errors:
            return cleaned
        if text.strip() and uploaded is not None:
            raise ValidationError("Paste the text or upload a file, not both.")
        try:
            cleaned["content"] = clean_ingest_text(uploaded if uploaded is not None else text)
        except ValidationError as error:
            self.add_error("file" if uploaded is not None else "text", error.messages[0])
        return cleaned
