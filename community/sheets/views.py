"""Thin views of practice sheets: the listing, the proposal form, the author's
proposals, the "Utile" toggle, and the animateurs' review queue. The sheet itself is
a Wagtail page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.models import PracticeSheetPage
from community.responses import refused, space_or_404
from community.services import ActionRefused
from community.sheets import selectors, services
from community.sheets.forms import SheetProposalForm, SheetReviewForm


@require_GET
def sheets(request):
    filters = selectors.listing_filters(request.GET)
    context = selectors.sheet_listing(
        user=request.user, filters=filters, page_number=request.GET.get("page")
    )
    context["title"] = "Fiches pratiques"
    return render(request, "community/sheets/sheet_list.html", context)


def _proposal_page(request, space, form, *, status=200):
    return render(
        request,
        "community/sheets/sheet_propose.html",
        {"space": space, "form": form, "title": f"Proposer une fiche — Espace {space.name}"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet_propose(request, slug):
    space = space_or_404(slug)
    membership = permissions.membership_of(user=request.user, space=space)
    refusal = permissions.post_refusal(user=request.user, space=space, membership=membership)
    if refusal:
        return render(
            request,
            "community/refused.html",
            {"space": space, "reason": refusal, "title": f"Accès refusé — {space.name}"},
            status=403,
        )
    if request.method == "GET":
        return _proposal_page(request, space, SheetProposalForm())
    form = SheetProposalForm(request.POST)
    if not form.is_valid():
        # Shown again with everything typed: nothing is lost.
        return _proposal_page(request, space, form, status=400)
    try:
        sheet = services.sheet_propose(user=request.user, space=space, **form.cleaned_data)
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return _proposal_page(request, space, form, status=403)
    messages.success(
        request,
        f"Merci ! Votre fiche « {sheet.title} » est transmise pour relecture. "
        "Vous serez prévenu(e) de la décision.",
    )
    return redirect("community:my_sheets")


def _revision_page(request, sheet, form, comment, *, status=200):
    return render(
        request,
        "community/sheets/sheet_propose.html",
        {
            "sheet": sheet,
            "form": form,
            "review_comment": comment,
            "title": f"Corriger ma fiche « {sheet.draft_title} »",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet_revise(request, pk):
    """The author corrects a sheet the review sent back, and submits it again."""
    sheet = get_object_or_404(PracticeSheetPage, pk=pk, owner=request.user)
    proposal = selectors.proposal_of(user=request.user, sheet=sheet)
    if not proposal.may_revise:
        messages.info(request, "Cette fiche n'attend pas de modification de votre part.")
        return redirect("community:my_sheets")
    if request.method == "GET":
        initial = services.sheet_form_initial(sheet.get_latest_revision_as_object())
        return _revision_page(request, sheet, SheetProposalForm(initial=initial), proposal.comment)
    form = SheetProposalForm(request.POST)
    if not form.is_valid():
        return _revision_page(request, sheet, form, proposal.comment, status=400)
    try:
        sheet = services.sheet_resubmit(user=request.user, sheet=sheet, **form.cleaned_data)
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return _revision_page(request, sheet, form, proposal.comment, status=403)
    messages.success(
        request,
        f"Votre fiche « {sheet.draft_title} » est de nouveau transmise pour relecture.",
    )
    return redirect("community:my_sheets")


@login_required
@require_GET
def my_sheets(request):
    return render(
        request,
        "community/sheets/my_sheets.html",
        {
            "proposals": selectors.sheets_proposed_by(user=request.user),
            "title": "Mes fiches pratiques proposées",
        },
    )


@require_POST
def sheet_useful(request, pk):
    sheet = get_object_or_404(PracticeSheetPage.objects.live(), pk=pk)
    if not selectors.may_read_sheet(user=request.user, sheet=sheet):
        raise Http404
    back = f"{sheet.get_url(request=request)}#utile"
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        useful = services.sheet_useful_toggle(user=request.user, sheet=sheet)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            "Vous trouvez cette fiche utile." if useful else "Votre « Utile » est retiré.",
        )
    return redirect(back)


# --- Review by the space's animateurs ---------------------------------------------------------


def _reviewer_space(request, slug):
    """The space and, for those who may not review its sheets, the refusal page."""
    space = space_or_404(slug)
    membership = permissions.membership_of(user=request.user, space=space)
    refusal = permissions.sheet_review_refusal(
        user=request.user, space=space, membership=membership
    )
    return space, (refused(request, space=space, reason=refusal) if refusal else None)


@login_required
@require_GET
def review_queue(request, slug):
    space, refused = _reviewer_space(request, slug)
    if refused:
        return refused
    return render(
        request,
        "community/sheets/review_queue.html",
        {
            "space": space,
            "reviews": selectors.sheets_in_review(space=space),
            "title": f"Fiches à relire — Espace {space.name}",
        },
    )


def _review_page(request, space, review, form, *, status=200):
    context = selectors.review_page_context(review=review)
    context |= {
        "space": space,
        "form": form,
        "title": f"Relire la fiche « {review.sheet.draft_title} » — Espace {space.name}",
    }
    return render(request, "community/sheets/review_sheet.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_sheet(request, slug, pk):
    space, refused = _reviewer_space(request, slug)
    if refused:
        return refused
    sheet = selectors.space_sheet(space=space, pk=pk)
    if sheet is None:
        raise Http404
    review = selectors.sheet_in_review(sheet=sheet)
    if review is None:
        messages.info(request, services.NOT_IN_REVIEW)
        return redirect("community:sheet_review_queue", slug=space.slug)
    if request.method == "GET":
        return _review_page(request, space, review, SheetReviewForm())
    decision = request.POST.get("decision", "")
    form = SheetReviewForm(request.POST, decision=decision)
    if not form.is_valid():
        return _review_page(request, space, review, form, status=400)
    try:
        sheet = services.sheet_review_decide(
            sheet=sheet, by=request.user, decision=decision, comment=form.cleaned_data["comment"]
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return _review_page(request, space, review, form, status=403)
    if decision == "approve":
        messages.success(
            request,
            f"La fiche « {sheet.title} » est publiée : son auteur ou autrice est prévenu(e).",
        )
    else:
        messages.success(
            request,
            f"Les modifications demandées pour « {sheet.draft_title} » sont transmises à son "
            "auteur ou autrice.",
        )
    return redirect("community:sheet_review_queue", slug=space.slug)
