"""What the claim page's assignment form asks for, as ``claim_assign`` takes it."""

from claims.desk.forms import AssignForm


def assignee_of(data: dict, actor):
    """The person the form names: the user themself, the one chosen, or nobody."""
    to = data.pop("to", AssignForm.ME)
    chosen = data.pop("assignee", None)
    if to == AssignForm.NOBODY:
        return None
    return chosen if to == AssignForm.CHOSEN else actor


def assigned_message(assignee, actor) -> str:
    if assignee is None:
        return "The claim is unassigned."
    if assignee == actor:
        return "Assigned to you."
    return f"Assigned to {assignee.get_username()}."
