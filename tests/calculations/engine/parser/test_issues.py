"""How collected refusals become the AnalyticsError (issues.Issues.error and the issues it makes public)."""

from __future__ import annotations

KNOWN = "chatbot, completion, search_answer, summary, translation"


def test_a_duplicate_and_an_unknown_profile_together_give_the_general_code(refuse):
    error = refuse("records:\n"
                   "  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n"
                   "  - {date: 2025-01-01, profile: chatbot, inferences: 2}\n"
                   "  - {date: 2025-01-02, profile: nope, inferences: 1}\n")
    assert error.code == "invalid_analytics"
    assert [issue.path for issue in error.issues] == ["records[1]", "records[2].profile"]


def test_each_unknown_profile_is_refused_once_naming_every_unknown_one_sorted_and_the_known_ones(refuse):
    error = refuse("date,profile,inferences\n2025-01-01,zeta,1\n2025-01-02,alpha,1\n2025-01-03,zeta,1\n")
    assert error.code == "unknown_profile"
    assert [(issue.line, issue.value, issue.message) for issue in error.issues] == [
        (2, "zeta", f"unknown profile 'zeta' (unknown profiles: alpha, zeta; known profiles: {KNOWN})"),
        (3, "alpha", f"unknown profile 'alpha' (unknown profiles: alpha, zeta; known profiles: {KNOWN})"),
    ]


def test_a_csv_duplicate_names_the_line_of_the_first(refuse):
    error = refuse("date,profile,inferences\n2025-01-01,chatbot,1\n2025-01-01,chatbot,2\n")
    assert error.code == "duplicate"
    assert [(issue.line, issue.message) for issue in error.issues] == [(3, "2025-01-01 chatbot is given twice (first at line 2)")]
