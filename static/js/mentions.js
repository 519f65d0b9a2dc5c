// @mentions for every textarea[data-mentions-url]: typing "@" and two letters lists the
// space's members (an ARIA listbox the textarea points at with aria-activedescendant).
// Keyboard: up/down to move, Enter to choose, Escape to close. No inline script (CSP).

const MIN_LENGTH = 2;
let count = 0;

function setup(textarea) {
  const url = textarea.dataset.mentionsUrl;
  const id = `mentions-${++count}`;
  const list = document.createElement("ul");
  list.id = id;
  list.className = "portal-mentions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Membres à mentionner");
  list.hidden = true;
  const status = document.createElement("p");
  status.className = "fr-sr-only";
  status.setAttribute("aria-live", "polite");
  textarea.after(list, status);
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", id);

  let options = [];
  let active = -1;
  let timer = null;
  let controller = null;

  // The "@…" being typed just before the caret, if any.
  function mention() {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const found = before.match(/(?:^|[\s(])@([^@\n]{1,40})$/u);
    return found ? { text: found[1], start: before.length - found[1].length - 1 } : null;
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    options = [];
    active = -1;
    textarea.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    textarea.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function choose(index) {
    const current = mention();
    const name = options[index]?.dataset.name;
    if (!current || !name) return close();
    const end = textarea.selectionStart;
    textarea.value = `${textarea.value.slice(0, current.start)}@${name} ${textarea.value.slice(end)}`;
    const caret = current.start + name.length + 2;
    textarea.setSelectionRange(caret, caret);
    close();
    status.textContent = `${name} mentionné(e).`;
    textarea.focus();
  }

  async function suggest() {
    const current = mention();
    if (!current || current.text.trim().length < MIN_LENGTH) return close();
    controller?.abort();
    controller = new AbortController();
    let people = [];
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(current.text)}`, {
        signal: controller.signal,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return close();
      people = await response.json();
    } catch {
      return undefined;
    }
    close();
    people.forEach((person, i) => {
      const option = document.createElement("li");
      option.id = `${id}-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.name = person.name;
      option.textContent = person.operator ? `${person.name} (${person.operator})` : person.name;
      // mousedown, not click: the textarea keeps its focus and its caret.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(i);
      });
      list.append(option);
      options.push(option);
    });
    list.hidden = options.length === 0;
    status.textContent = options.length
      ? `${options.length} membre${options.length > 1 ? "s" : ""} : flèches haut et bas pour choisir, Entrée pour valider, Échap pour fermer.`
      : "";
    return undefined;
  }

  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });
  textarea.addEventListener("keydown", (event) => {
    if (list.hidden || options.length === 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight((active - 1 + options.length) % options.length);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  textarea.addEventListener("blur", () => setTimeout(close, 150));
}

document.querySelectorAll("textarea[data-mentions-url]").forEach(setup);
