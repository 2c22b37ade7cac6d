from .nominations import (
    nomination_create,
    nomination_decide,
    nomination_post,
    nomination_propose,
    nomination_reject,
    nomination_review,
    nomination_withdraw,
)
from .postings import posting_register
from .team import composition_exception_create, team_findings

__all__ = [
    "composition_exception_create",
    "nomination_create",
    "nomination_decide",
    "nomination_post",
    "nomination_propose",
    "nomination_reject",
    "nomination_review",
    "nomination_withdraw",
    "posting_register",
    "team_findings",
]
