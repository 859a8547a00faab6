"""Templates count in words with the same helper as the Python code."""


def test_templates_pluralise_with_the_shared_filter(app) -> None:
    template = app.jinja_env.from_string(
        "{{ 1|plural('follow-up') }}; {{ 2|plural('follow-up') }}; {{ 6|plural('outreach') }}; "
        "{{ 3|plural('person') }}; {{ 2|plural('interview held', 'interviews held') }}"
    )

    assert template.render() == (
        "1 follow-up; 2 follow-ups; 6 outreach messages; 3 people; 2 interviews held"
    )
