from claims.selectors.diffs import revision_changes, word_diff


def test_quantity_edit_reads_as_old_arrow_new():
    changes = revision_changes({"quantity_value": 63}, {"quantity_value": 57})

    assert [(c.label, c.before, c.after) for c in changes] == [("Quantity", "63", "57")]


def test_text_edit_strikes_old_words_and_marks_new_ones():
    segments = word_diff("63 Canadians died on PS752", "57 Canadians died on PS752")

    assert [(s.kind, s.text) for s in segments] == [
        ("removed", "63"),
        ("added", "57"),
        ("same", "Canadians died on PS752"),
    ]


def test_public_changes_leave_out_internal_fields():
    changes = revision_changes(
        {"status": "in_review", "assignee": "rita"},
        {"status": "confirmed", "assignee": "eddie"},
        public=True,
    )

    assert [(c.field, c.before, c.after) for c in changes] == [("status", "In review", "Confirmed")]
