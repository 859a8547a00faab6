"""The Plan page and its forms: thin views that call each step's module and commit once."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.access import owned_or_404, safe_next
from crm.contacts.lookup import NameSuggestion, find_contact_by_name, name_suggestions
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.models import Company, Contact
from crm.plan import employers, obstacles, progress, questions, reach, roles, rut
from crm.plan.errors import PlanError
from crm.plan.forms import AnswersForm, CheckInForm, EmployerForm, NameForm, ObstacleForm, RoleForm
from crm.plan.models import Obstacle, PersonToReach, RoleContact, TargetRole
from crm.words import plural

bp = Blueprint("plan", __name__, url_prefix="/plan")

# Names the Plan page lists for its name fields before anything is typed.
NAMES_LISTED = 100


@bp.before_request
@login_required
def require_login() -> None:
    """Every plan page needs a logged-in user."""


def render_plan(status: int = 200, **forms: Any) -> ResponseReturnValue:
    """The Plan page, with any form that failed validation passed in to show its errors."""
    uid = current_user.id
    today = clock.user_today(current_user)
    kept = progress.build_progress(uid, current_user.weekly_goal, today)
    page = render_template(
        "plan/index.html",
        today=today,
        **_rut_part(uid, today, forms.get("check_in_form"), kept.check_in_reminder),
        obstacles=obstacles.obstacles_with_proof(uid),
        suggestions=obstacles.OBSTACLE_SUGGESTIONS,
        obstacle_form=forms.get("obstacle_form") or ObstacleForm(formdata=None),
        name_error=forms.get("name_error"),
        **_questions_part(uid, forms.get("answers_form")),
        to_reach=reach.people_to_reach(uid),
        roles=roles.role_views(uid, roles.target_roles(uid)),
        role_form=forms.get("role_form") or RoleForm(formdata=None),
        employers=employers.target_employers(uid),
        employer_form=forms.get("employer_form") or EmployerForm(formdata=None),
        names=_names(name_suggestions(uid, "", limit=NAMES_LISTED)),
        progress=kept,
        series=progress.SERIES,
    )
    return page, status


def _rut_part(
    uid: int, today: date, form: CheckInForm | None, reminder: tuple[str | None, date | None]
) -> dict[str, Any]:
    """Step 1 on the page: the check-ins, their chart, and today's form (ticked as saved);
    reminder, the latest check-in reminder's status and due date."""
    check_ins = rut.recent_check_ins(uid)
    latest = check_ins[0] if check_ins else None
    if form is None:
        ticked = latest.sign_keys if latest and latest.checked_on == today else []
        form = CheckInForm(formdata=None, signs=ticked)
    return {
        "check_ins": check_ins,
        "latest": latest,
        "check_in_due": rut.suggested_check_in(
            latest.checked_on if latest else None, today, *reminder
        ),
        "chart": progress.bar_chart([len(c.sign_keys) for c in reversed(check_ins)], height=40),
        "sign_count": len(rut.RUT_SIGNS),
        "check_in_form": form,
    }


def _questions_part(uid: int, form: AnswersForm | None) -> dict[str, Any]:
    """Step 3 on the page: the answers, and the form holding them (or as posted)."""
    answers = questions.current_answers(uid)
    if form is None:
        saved = {a.question.value: a.current.body if a.current else "" for a in answers}
        form = AnswersForm(formdata=None, data=saved)
    return {"answers": answers, "answers_form": form}


def _names(found: list[NameSuggestion]) -> list[str]:
    """The suggested names, each once, for the name fields' list."""
    return list(dict.fromkeys(s.name for s in found if s.name))


@bp.route("/")
def index() -> ResponseReturnValue:
    """The five steps: rut check, obstacles, strategic questions, target roles, keeping on track."""
    return render_plan()


def _back(anchor: str) -> ResponseReturnValue:
    return redirect(url_for("plan.index", _anchor=anchor))


@bp.route("/check-in", methods=["POST"])
def check_in() -> ResponseReturnValue:
    """Save today's rut check-in."""
    form = CheckInForm()
    if not form.validate_on_submit():
        return render_plan(400, check_in_form=form)
    saved = rut.save_check_in(
        current_user.id, form.signs.data or [], clock.user_today(current_user)
    )
    db.session.commit()
    count = len(saved.sign_keys)
    flash(
        f"Check-in saved: {count} of {len(rut.RUT_SIGNS)} today. "
        "Noticing the rut is the first step out of it.",
        "success",
    )
    return _back("rut")


@bp.route("/obstacles", methods=["POST"])
def add_obstacle() -> ResponseReturnValue:
    """Add an obstacle, typed or picked from the suggestions."""
    form = ObstacleForm()
    if form.validate_on_submit():
        try:
            obstacles.add_obstacle(current_user.id, form.text.data)
        except PlanError as error:
            db.session.rollback()
            form.text.errors = [*form.text.errors, str(error)]
        else:
            db.session.commit()
            flash("Added. Now think of someone who got there despite it.", "success")
            return _back("obstacles")
    return render_plan(400, obstacle_form=form)


def _contact_from_name(form: NameForm, where: str, target_id: int) -> Contact | ResponseReturnValue:
    """The contact the form names, or the page again with the reason beside the field."""
    if not form.validate_on_submit():
        return render_plan(400, name_error=(where, target_id, form.name.data, form.name.errors))
    found = find_contact_by_name(current_user.id, form.name.data)
    if found.contact is None:
        return render_plan(400, name_error=(where, target_id, form.name.data, [found.error]))
    return found.contact


@bp.route("/obstacles/<int:obstacle_id>/proof", methods=["POST"])
def link_proof(obstacle_id: int) -> ResponseReturnValue:
    """Link a contact who got there despite the obstacle."""
    obstacle = owned_or_404(Obstacle, obstacle_id)
    contact = _contact_from_name(NameForm(), "proof", obstacle.id)
    if not isinstance(contact, Contact):
        return contact
    _link_proof(obstacle, contact)
    return _back(f"obstacle-{obstacle.id}")


def _link_proof(obstacle: Obstacle, contact: Contact) -> None:
    """Link the contact as proof against the obstacle, and say what happened."""
    try:
        linked = obstacles.link_proof(obstacle, contact)
    except PlanError as error:
        flash(str(error), "warning")
        return
    if linked:
        db.session.commit()
        flash(f"{contact.full_name} is proof that “{obstacle.text}” need not stop you.", "success")
    else:
        flash(f"{contact.full_name} is already linked there.", "info")


@bp.route("/obstacles/<int:obstacle_id>/resolve", methods=["POST"])
def resolve(obstacle_id: int) -> ResponseReturnValue:
    """Mark an obstacle as no longer holding the user back (or bring it back)."""
    obstacle = owned_or_404(Obstacle, obstacle_id)
    if ConfirmForm().validate_on_submit():
        if obstacle.resolved_on is None:
            obstacle.resolved_on = clock.user_today(current_user)
            flash(f"“{obstacle.text}” no longer holds you back. Well done.", "success")
        else:
            obstacle.resolved_on = None
            flash(f"“{obstacle.text}” is back on your list.", "info")
        db.session.commit()
    return _back("obstacles")


@bp.route("/answers", methods=["POST"])
def save_answers() -> ResponseReturnValue:
    """Save the strategic answers; each changed one becomes a new dated version."""
    form = AnswersForm()
    if not form.validate_on_submit():
        return render_plan(400, answers_form=form)
    changed = questions.save_answers(
        current_user.id,
        {q.value: getattr(form, q.value).data for q in questions.Question},
        clock.user_today(current_user),
    )
    db.session.commit()
    if changed:
        flash(
            f"Saved {plural(changed, 'answer')}. Earlier versions are kept.",
            "success",
        )
    else:
        flash("Nothing changed since you last saved.", "info")
    return _back("questions")


@bp.route("/answers/<question>")
def answer_history(question: str) -> ResponseReturnValue:
    """Every saved version of one strategic answer."""
    try:
        asked = questions.Question(question)
    except ValueError:
        return render_template("error.html", code=404, message="We could not find that page."), 404
    return render_template(
        "plan/history.html",
        question=questions.QUESTIONS[asked],
        versions=questions.answer_history(current_user.id, asked),
        today=clock.user_today(current_user),
    )


@bp.route("/people-to-reach", methods=["POST"])
def add_person_to_reach() -> ResponseReturnValue:
    """Pick a contact to reach, under "Who do I know that I could connect with?"."""
    contact = _contact_from_name(NameForm(), "reach", 0)
    if not isinstance(contact, Contact):
        return contact
    _add_to_reach(contact)
    return _back("reach")


def _add_to_reach(contact: Contact) -> None:
    """Put the contact on the People to reach list, and say so."""
    if reach.add_person_to_reach(current_user.id, contact, clock.user_today(current_user)):
        db.session.commit()
        flash(f"{contact.full_name} is on your People to reach list.", "success")
    else:
        flash(f"{contact.full_name} is already on your list.", "info")


@bp.route("/people-to-reach/<int:entry_id>/remove", methods=["POST"])
def remove_person_to_reach(entry_id: int) -> ResponseReturnValue:
    """Take someone off the People to reach list."""
    entry = owned_or_404(PersonToReach, entry_id)
    if ConfirmForm().validate_on_submit():
        db.session.delete(entry)
        db.session.commit()
        flash("Taken off the list.", "info")
    return _back("reach")


@bp.route("/roles", methods=["POST"])
def add_role() -> ResponseReturnValue:
    """Add a target role."""
    form = RoleForm()
    if form.validate_on_submit():
        try:
            roles.add_role(current_user.id, form.title.data)
        except PlanError as error:
            db.session.rollback()
            form.title.errors = [*form.title.errors, str(error)]
        else:
            db.session.commit()
            flash(f"Added {form.title.data.strip()}.", "success")
            return _back("roles")
    return render_plan(400, role_form=form)


@bp.route("/roles/<int:role_id>/people", methods=["POST"])
def tag_in_role(role_id: int) -> ResponseReturnValue:
    """Tag a contact by hand as holding a role."""
    role = owned_or_404(TargetRole, role_id)
    contact = _contact_from_name(NameForm(), "role", role.id)
    if not isinstance(contact, Contact):
        return contact
    _tag(role, contact)
    return _back(f"role-{role.id}")


def _tag(role: TargetRole, contact: Contact) -> None:
    """Count the contact in the role by hand, and say so."""
    if roles.tag_in_role(role, contact):
        db.session.commit()
        flash(f"{contact.full_name} is now counted as a {role.title}.", "success")
    else:
        flash(f"{contact.full_name} is already counted there.", "info")


@bp.route("/roles/<int:role_id>/people/<int:contact_id>/untag", methods=["POST"])
def untag(role_id: int, contact_id: int) -> ResponseReturnValue:
    """Stop counting a hand-tagged contact in a role."""
    role = owned_or_404(TargetRole, role_id)
    contact = owned_or_404(Contact, contact_id)
    if ConfirmForm().validate_on_submit():
        for link in db.session.scalars(
            db.select(RoleContact).where(
                RoleContact.role_id == role.id, RoleContact.contact_id == contact.id
            )
        ):
            db.session.delete(link)
        db.session.commit()
        flash(f"{contact.full_name} is no longer tagged by hand as a {role.title}.", "info")
    return _back_to_form(f"role-{role.id}")


# --- From a contact's page: the same steps, the contact picked by their page, not a name -----


def _picked(model: type[Obstacle] | type[TargetRole], field: str) -> Any:
    """The user's obstacle or role whose id the form sends (404 for another's or none)."""
    return owned_or_404(model, request.form.get(field, type=int) or 0)


def _to_contact_page(contact: Contact) -> ResponseReturnValue:
    return redirect(url_for("contacts.show", contact_id=contact.id, _anchor="in-plan"))


@bp.route("/contacts/<int:contact_id>/reach", methods=["POST"])
def reach_contact(contact_id: int) -> ResponseReturnValue:
    """Put the contact whose page this is on the People to reach list."""
    contact = owned_or_404(Contact, contact_id)
    if ConfirmForm().validate_on_submit():
        _add_to_reach(contact)
    return _to_contact_page(contact)


@bp.route("/contacts/<int:contact_id>/role", methods=["POST"])
def tag_contact(contact_id: int) -> ResponseReturnValue:
    """Count the contact whose page this is as holding the target role picked there."""
    contact = owned_or_404(Contact, contact_id)
    if ConfirmForm().validate_on_submit():
        _tag(_picked(TargetRole, "role_id"), contact)
    return _to_contact_page(contact)


@bp.route("/contacts/<int:contact_id>/proof", methods=["POST"])
def prove_with_contact(contact_id: int) -> ResponseReturnValue:
    """Link the contact whose page this is as proof against the obstacle picked there."""
    contact = owned_or_404(Contact, contact_id)
    if ConfirmForm().validate_on_submit():
        _link_proof(_picked(Obstacle, "obstacle_id"), contact)
    return _to_contact_page(contact)


@bp.route("/roles/<int:role_id>/remove", methods=["POST"])
def remove_role(role_id: int) -> ResponseReturnValue:
    """Remove a target role (the contacts stay)."""
    role = owned_or_404(TargetRole, role_id)
    if ConfirmForm().validate_on_submit():
        db.session.delete(role)
        db.session.commit()
        flash(f"Removed {role.title} from your target roles.", "info")
    return _back("roles")


@bp.route("/employers", methods=["POST"])
def star_employer() -> ResponseReturnValue:
    """Star a company as a target employer."""
    form = EmployerForm()
    if form.validate_on_submit():
        try:
            company = employers.star_employer(current_user.id, form.company.data)
        except PlanError as error:
            db.session.rollback()
            form.company.errors = [*form.company.errors, str(error)]
        else:
            db.session.commit()
            flash(f"{company.name} is a target employer.", "success")
            return _back("employers")
    return render_plan(400, employer_form=form)


@bp.route("/employers/<int:company_id>/star", methods=["POST"])
def star_company(company_id: int) -> ResponseReturnValue:
    """Star one of the user's companies as a target employer (from the contact page)."""
    company = owned_or_404(Company, company_id)
    if ConfirmForm().validate_on_submit():
        if employers.set_target(company, True):
            db.session.commit()
            flash(
                f"{company.name} is a target employer: it shows on your plan with the people "
                "you know there.",
                "success",
            )
        else:
            flash(f"{company.name} is already a target employer.", "info")
    return _back_to_form("employers")


@bp.route("/employers/<int:company_id>/unstar", methods=["POST"])
def unstar_employer(company_id: int) -> ResponseReturnValue:
    """Stop targeting a company."""
    company = owned_or_404(Company, company_id)
    if ConfirmForm().validate_on_submit() and employers.set_target(company, False):
        db.session.commit()
        flash(f"{company.name} is no longer a target.", "info")
    return _back_to_form("employers")


def _back_to_form(anchor: str) -> ResponseReturnValue:
    """Back to the page the button was on (a contact page); on the Plan page, to the section."""
    back = safe_next(request.form.get("next"))
    if back and not back.startswith(url_for("plan.index")):
        return redirect(back)
    return _back(anchor)


@bp.route("/contact-names")
def contact_names() -> ResponseReturnValue:
    """Names of the user's contacts matching what is typed, for the name fields' suggestions."""
    typed = request.args.get("q", "")[:100]
    return jsonify(_names(name_suggestions(current_user.id, typed, limit=20)))
