"""Reading rendered pages: DSFR markup checks shared by the people tests."""

from bs4 import BeautifulSoup

SITE_TITLE = "Académie & Communauté"
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
FIELD_TYPES_WITHOUT_LABEL = {"hidden", "submit", "button", "reset"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def main(response):
    found = soup(response).find("main")
    assert found is not None, "la page n'a pas de <main>"
    return found


def text(node) -> str:
    """The visible text of a node, whitespace collapsed."""
    return " ".join(node.get_text(" ").split())


def page_title(response) -> str:
    return " ".join(soup(response).title.get_text().split())


def error_texts(response) -> list[str]:
    """Every error shown in main: field errors (fr-error-text) and form alerts."""
    page = main(response)
    errors = [text(p) for p in page.select(".fr-error-text")]
    errors += [text(p) for p in page.select(".fr-alert--error p")]
    return errors


def field(response, name):
    """The control named `name` in main (input, textarea or select)."""
    control = main(response).find(["input", "textarea", "select"], attrs={"name": name})
    assert control is not None, f"pas de champ « {name} » dans la page"
    return control


def assert_dsfr_page(response, *, title: str) -> BeautifulSoup:
    """A whole page in the State design system: French, titled, headed, labelled.

    - the document is in French and its <title> is "<title> — <site name>";
    - main opens with the one <h1>, and headings never skip a level;
    - every visible control has a DSFR class and a <label for> of its id, sits in a
      DSFR group, and one in error is aria-invalid and described by its error text;
    - every button is a DSFR button; every POST form carries the CSRF token.
    """
    assert response.status_code == 200, response.status_code
    document = soup(response)
    assert document.html.get("lang") == "fr"
    actual = page_title(response)
    assert actual == f"{title} — {SITE_TITLE}", actual
    page = document.find("main")
    assert page is not None

    headings = page.find_all(HEADINGS)
    assert headings, "aucun titre dans la page"
    assert headings[0].name == "h1", f"le premier titre est un <{headings[0].name}>"
    assert len(page.find_all("h1")) == 1
    level = 1
    for heading in headings[1:]:
        new_level = int(heading.name[1])
        assert new_level <= level + 1, f"titre <{heading.name}> après un <h{level}>"
        level = new_level

    for control in page.find_all(["input", "textarea", "select"]):
        kind = control.get("type", "text") if control.name == "input" else control.name
        if kind in FIELD_TYPES_WITHOUT_LABEL:
            continue
        control_id = control.get("id")
        assert control_id, f"champ sans id : {control}"
        assert page.find("label", attrs={"for": control_id}), f"pas de label pour {control_id}"
        classes = control.get("class", [])
        if kind in {"checkbox", "radio"}:
            assert control.find_parent(class_=f"fr-{kind}-group"), control_id
        else:
            expected = "fr-select" if kind == "select" else "fr-input"
            assert expected in classes, f"{control_id} sans la classe {expected}"
            group = "fr-select-group" if kind == "select" else "fr-input-group"
            assert control.find_parent(class_=group), f"{control_id} hors d'un {group}"
        if control.get("aria-invalid") == "true":
            described = control.get("aria-describedby", "").split()
            assert described, f"{control_id} en erreur sans aria-describedby"
            assert any(
                (node := page.find(id=ref)) is not None and node.select(".fr-error-text")
                for ref in described
            ), f"l'erreur de {control_id} n'est pas reliée au champ"
        for ref in control.get("aria-describedby", "").split():
            assert page.find(id=ref) is not None, f"{control_id} décrit par #{ref} absent"

    # DSFR buttons: fr-btn, and the components' own (the breadcrumb's disclosure).
    dsfr_buttons = {"fr-btn", "fr-breadcrumb__button"}
    for button in page.find_all("button"):
        assert dsfr_buttons & set(button.get("class", [])), f"bouton hors DSFR : {button}"
    for form in page.find_all("form"):
        if form.get("method", "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}), form.get("action")
    return page
