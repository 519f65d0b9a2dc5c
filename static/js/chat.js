// The live chat of a territory space, on every section[data-chat] (templates/community/
// chat/panel.html). Protocol: DESIGN.md "Live chat" and community/chat/consumers.py.
//
// What the person sees: every message once, in number order, with nothing to do.
// - Messages are numbered 1, 2, 3… per room without gaps: the panel keeps the highest
//   number it holds without a hole (`base`), reconnects with ?after=<base>, pages the
//   history while the server says `more`, and asks for what is missing when a number
//   arrives ahead of its predecessor.
// - Edits and deletions carry the room's change number: the panel keeps the highest it
//   has seen (`change`) and reconnects with ?change=<change>, so that those it missed
//   while away reach the messages it already shows.
// - What the person writes goes to an outbox first, with a fresh client_id, and stays
//   there ("envoi en cours…") until the server sends it back; after a reconnection it is
//   sent again with the SAME client_id, so the server saves it once.
// - One request at a time is in flight: an `error` frame then belongs to it (the frame
//   does not say which request it answers). Errors come back at once; the success of a
//   message, an edit, a deletion or a report is the frame the server then sends.
// - Accessibility: one polite live region announces others' new messages (batched) and
//   the connection's state; focus only moves when the person acts; the list scrolls to a
//   new message only if the person was already reading the bottom.
// No inline script (CSP), no framework; body_html comes sanitised from the server and is
// the only HTML inserted as such.

const BACKOFF_FIRST = 500; // ms, doubled at each failed attempt, with jitter
const BACKOFF_CAP = 10_000;
const TYPING_EVERY = 3_000; // the server ignores typing frames sent more often
const TYPING_SHOWN = 6_000;
const ACTION_SILENCE = 3_000; // an edit or deletion that changed nothing gets no frame back
const MESSAGE_WAIT = 10_000; // then the next message goes; this one is sent again on reconnection
const RATE_LIMIT_RETRY = 5_000;
const ANNOUNCE_AFTER = 1_000; // batch announcements that arrive together
const ANNOUNCE_ONE_BY_ONE = 3;
const ANCHOR_REACH = 1_000; // how far back a #message-<n> link may be loaded
const QUIET_BEFORE_PING = 25_000; // ms without a frame from the server: ask if it is there
const PONG_WAIT = 10_000; // no answer: the connection is dead, though the browser may not know
const AT_BOTTOM = 48; // px: "reading the bottom of the list"
const CLOSED_FOR_GOOD = {
  4403: "Vous n'avez pas accès à cette discussion : connectez-vous ou rejoignez l'espace, puis rechargez la page.",
  4400: "Cette discussion n'existe pas ou plus.",
};

// Times read in the portal's time zone (settings.TIME_ZONE, given by the panel's
// data-chat-time-zone), like every other time of the portal, whatever the browser's.
let longDate = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric" });
let clock = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

function useTimeZone(timeZone) {
  if (!timeZone) return;
  longDate = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone });
  clock = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
}

function hourMinute(date) {
  const parts = Object.fromEntries(clock.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.hour}h${parts.minute}`;
}

// As the server renders it: "12 mars 2025 à 14h05".
function formatCreated(iso) {
  const date = new Date(iso);
  return `${longDate.format(date)} à ${hourMinute(date)}`;
}

function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; plain-HTTP development hosts get this.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Text of sanitised HTML, read in an inert template (nothing loads, nothing runs).
function textOf(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content.textContent.replace(/\s+/g, " ").trim();
}

function shorten(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function element(tag, { className, text, attrs } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}

function srOnly(text) {
  return element("span", { className: "fr-sr-only", text });
}

function codePoints(text) {
  return [...text].length; // as the server counts (Python's len)
}

class ChatPanel {
  constructor(root) {
    this.root = root;
    this.slug = root.dataset.chatRoom;
    useTimeZone(root.dataset.chatTimeZone);
    this.me = Number(root.dataset.chatUser);
    this.moderator = root.dataset.chatModerator === "true";
    this.mayPost = root.dataset.chatMayPost === "true";
    this.editWindow = Number(root.dataset.chatEditWindow) * 1000;
    this.maxLength = Number(root.dataset.chatMaxLength);
    const find = (name) => root.querySelector(`[data-chat-${name}]`);
    this.list = find("messages");
    this.outboxList = find("outbox");
    this.scroller = find("scroll");
    this.empty = find("empty");
    this.status = find("status");
    this.live = find("live");
    this.typingLine = find("typing");
    this.people = find("online");
    this.peopleCount = find("online-count");
    this.form = find("form");
    this.input = find("input");
    this.sendButton = find("send");
    this.counter = find("counter");
    this.error = find("error");
    this.group = find("group");
    this.dialog = find("report");
    this.reportForm = find("report-form");
    this.reportReason = find("report-reason");
    this.reportError = find("report-error");
    this.reportGroup = find("report-group");
    this.reportExcerpt = find("report-excerpt");

    this.messages = new Map(); // number -> li
    this.bodies = new Map(); // number -> Markdown source of my own messages, for editing
    this.base = Number(root.dataset.chatAfter) || 0;
    this.newestAtLoad = this.base; // older ones are no news
    this.change = Number(root.dataset.chatChange) || 0;
    this.outbox = []; // {clientId, body, li, state: "pending" | "failed", sentOn, retryAt, direct}
    this.queue = []; // edits, deletions, reports waiting for the connection
    this.inflight = null;
    this.ws = null;
    this.connection = 0; // counts connections: a message is sent once per connection
    this.attempt = 0;
    this.ready = false; // history received up to date: requests may go
    this.historyAsked = false;
    this.stopped = false;
    this.lost = false; // the connection dropped and is not back yet
    this.typers = new Map(); // author id -> {name, timer}
    this.online = new Map();
    this.typingSentAt = 0;
    this.announcements = { notes: [], messages: [] };
    this.announceTimer = null;
    this.pumpTimer = null;
    this.reportTarget = null;
    this.reporting = false;
    this.anchor = null;

    for (const li of this.list.querySelectorAll("li[data-id]")) this.adopt(li);
    this.setUpAnchor();
    this.bindForm();
    this.bindList();
    this.bindReport();
    if (this.mayPost) setInterval(() => this.expireEditButtons(), 30_000);
    this.heardAt = 0; // when the server last sent a frame
    this.pingedAt = 0;
    setInterval(() => this.checkAlive(), 5_000);
    window.addEventListener("online", () => this.reconnectNow());
    this.connect();
  }

  // --- connection ---------------------------------------------------------------------

  connect() {
    clearTimeout(this.reconnectTimer);
    if (this.stopped) return;
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${window.location.host}/ws/chat/${encodeURIComponent(this.slug)}/?after=${this.base}&change=${this.change}`;
    this.ready = false;
    this.historyAsked = true; // the server opens with a history frame
    this.connection += 1;
    const ws = new WebSocket(url);
    this.ws = ws;
    this.heardAt = Date.now();
    this.pingedAt = 0;
    ws.addEventListener("message", (event) => {
      if (ws !== this.ws) return;
      this.heardAt = Date.now();
      this.pingedAt = 0;
      this.onFrame(event.data);
    });
    ws.addEventListener("close", (event) => {
      if (ws === this.ws) this.onClose(event);
    });
  }

  reconnectNow() {
    if (!this.ws && !this.stopped) {
      this.attempt = 0;
      this.connect();
    }
  }

  // A network that vanished without a word (a sleeping laptop, a dead Wi-Fi) leaves the
  // socket open in the browser: after a quiet while, ask the server; no answer, reconnect.
  checkAlive() {
    if (!this.isOpen()) return;
    const now = Date.now();
    if (this.pingedAt && now - this.pingedAt > PONG_WAIT) {
      const dead = this.ws;
      this.onClose({ code: 1006 }); // without waiting for a close that may never come
      dead.close();
    } else if (!this.pingedAt && now - this.heardAt > QUIET_BEFORE_PING) {
      this.pingedAt = now;
      this.send({ type: "ping" });
    }
  }

  isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  send(frame) {
    this.ws.send(JSON.stringify(frame));
  }

  onClose(event) {
    this.ws = null;
    this.ready = false;
    if (this.inflight) {
      clearTimeout(this.inflight.timer);
      // Sent again on the next connection; a message keeps its client_id.
      if (this.inflight.action.kind !== "message") this.queue.unshift(this.inflight.action);
      this.inflight = null;
    }
    for (const id of [...this.typers.keys()]) this.stopTyping(id);
    this.online.clear();
    this.renderOnline();
    const reason = CLOSED_FOR_GOOD[event.code];
    if (reason) {
      this.stop(reason);
      return;
    }
    this.setState("reconnecting", "Reconnexion…");
    if (!this.lost) {
      this.lost = true;
      this.note("Connexion à la discussion perdue : reconnexion…");
    }
    const ceiling = Math.min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** this.attempt);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => this.connect(), ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  stop(reason) {
    this.stopped = true;
    this.setState("stopped", reason);
    this.note(reason);
    if (this.input) this.input.disabled = true;
    if (this.sendButton) this.sendButton.disabled = true;
    for (const entry of this.outbox) if (entry.state === "pending") this.failEntry(entry, reason);
  }

  setState(state, text) {
    this.root.dataset.chatState = state;
    this.status.textContent = text;
  }

  // --- frames from the server -----------------------------------------------------------

  onFrame(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    switch (frame.type) {
      case "history":
        this.onHistory(frame);
        break;
      case "message":
      case "edited":
        this.onMessage(frame);
        break;
      case "deleted":
        this.onDeleted(frame);
        break;
      case "presence":
        this.onPresence(frame);
        break;
      case "typing":
        this.onTyping(frame);
        break;
      case "reported":
        this.onReported(frame);
        break;
      case "error":
        this.onError(frame);
        break;
      case "pong": // heard: that is all it is for
        break;
      default:
    }
  }

  onHistory(frame) {
    this.historyAsked = false;
    this.batchInsert(() => frame.messages.forEach((message) => this.upsert(message)));
    // The first page of a connection: what changed while away, and where the room stands.
    // (Only to messages shown: older ones load as they are now.)
    for (const change of (frame.changes || []).filter((c) => this.messages.has(c.id))) {
      if (change.type === "deleted") this.markDeleted(change.id);
      else this.upsert(change); // shown already: nothing is inserted
    }
    if (typeof frame.change === "number") this.change = frame.change;
    const missing = this.highest() > this.base;
    if (frame.more || (missing && frame.messages.length > 0)) {
      this.askHistory();
      return;
    }
    if (!this.ready) {
      this.ready = true;
      this.attempt = 0;
      this.setState("live", "En direct");
      if (this.lost) {
        this.lost = false;
        this.note("Connexion rétablie.");
      }
      this.revealAnchor();
      this.pump();
    }
  }

  askHistory() {
    if (!this.isOpen() || this.historyAsked) return;
    this.historyAsked = true;
    this.send({ type: "history", after: this.base });
  }

  onMessage(frame) {
    if (typeof frame.change === "number") this.change = Math.max(this.change, frame.change);
    this.batchInsert(() => this.upsert(frame));
    if (frame.type === "edited") this.complete((a) => a.kind === "edit" && a.frame.id === frame.id);
    // A number ahead of its predecessor: ask for what lies between.
    if (this.ready && frame.id > this.base + 1) this.askHistory();
  }

  onDeleted(frame) {
    if (typeof frame.change === "number") this.change = Math.max(this.change, frame.change);
    this.markDeleted(frame.id);
    this.complete((a) => a.kind === "delete" && a.frame.id === frame.id);
  }

  markDeleted(id) {
    const li = this.messages.get(id);
    if (li && !li.hasAttribute("data-deleted")) {
      li.setAttribute("data-deleted", "");
      this.render(li);
    }
  }

  onPresence(frame) {
    if (frame.online) this.online = new Map(frame.online.map((p) => [p.id, p.name]));
    for (const person of frame.joined || []) this.online.set(person.id, person.name);
    for (const person of frame.left || []) this.online.delete(person.id);
    this.renderOnline();
  }

  onTyping(frame) {
    const author = frame.author || {};
    if (!author.id || author.id === this.me) return;
    const previous = this.typers.get(author.id);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.stopTyping(author.id), TYPING_SHOWN);
    this.typers.set(author.id, { name: author.name, timer });
    this.renderTyping();
  }

  onReported(frame) {
    this.complete((a) => a.kind === "report" && a.frame.id === frame.id);
    if (this.reportTarget === frame.id) this.closeReport();
    this.note(frame.detail);
  }

  onError(frame) {
    const action = this.inflight?.action;
    const detail = frame.detail || "Action refusée.";
    if (!action) {
      this.showError(detail);
      this.note(detail);
      return;
    }
    clearTimeout(this.inflight.timer);
    this.inflight = null;
    if (action.kind === "message") this.messageRefused(action.entry, frame.code, detail);
    else action.refused(detail);
    this.pump();
  }

  // --- messages in the list -------------------------------------------------------------

  highest() {
    let highest = this.base;
    for (const id of this.messages.keys()) highest = Math.max(highest, id);
    return highest;
  }

  // The server-rendered messages, as if they had come in frames.
  adopt(li) {
    const id = Number(li.dataset.id);
    this.messages.set(id, li);
    if (li.dataset.body !== undefined) this.bodies.set(id, li.dataset.body);
    li.dataset.operator = li.querySelector(".portal-chat__meta .fr-badge")?.textContent.trim() || "";
    if (li.querySelector(".portal-chat__meta .portal-edited")) li.setAttribute("data-edited", "");
    li.bodyHtml = li.hasAttribute("data-deleted") ? "" : li.querySelector(".portal-chat__body").innerHTML;
    const time = li.querySelector("time[datetime]");
    if (time) time.textContent = formatCreated(time.getAttribute("datetime"));
  }

  // Insert or refresh; keeps the reader at the bottom only if they were there.
  batchInsert(work) {
    const atBottom = this.isAtBottom();
    const before = this.messages.size;
    work();
    if (this.messages.size !== before) {
      this.empty.hidden = true;
      if (atBottom) this.scrollToBottom();
      if (this.anchor && this.messages.has(this.anchor)) this.revealAnchor();
    }
  }

  upsert(message) {
    const mine = message.author && message.author.id === this.me;
    if (mine && message.client_id) this.confirm(message.client_id);
    let li = this.messages.get(message.id);
    const isNew = !li;
    if (isNew) {
      li = element("li", { attrs: { id: `message-${message.id}` } });
      li.dataset.id = String(message.id);
      this.place(li, message.id);
      this.messages.set(message.id, li);
      while (this.messages.has(this.base + 1)) this.base += 1;
    } else {
      const same =
        li.bodyHtml === message.body_html &&
        li.hasAttribute("data-deleted") === Boolean(message.deleted) &&
        li.hasAttribute("data-edited") === Boolean(message.edited);
      if (same) return; // seen already (a retry answered, a page of history overlapping)
      if (li.querySelector(".portal-chat__edit")) {
        this.closeEditor(li, { focus: document.activeElement && li.contains(document.activeElement) });
      }
    }
    li.dataset.author = message.author && message.author.id !== null ? String(message.author.id) : "";
    li.dataset.authorName = message.author ? message.author.name : "Compte supprimé";
    li.dataset.operator = message.author ? message.author.operator : "";
    li.dataset.created = message.created;
    if (message.deleted) li.setAttribute("data-deleted", "");
    else li.removeAttribute("data-deleted");
    if (message.edited) li.setAttribute("data-edited", "");
    li.bodyHtml = message.body_html;
    this.render(li);
    if (mine && message.client_id && this.sentBodies?.has(message.client_id)) {
      this.bodies.set(message.id, this.sentBodies.get(message.client_id));
    }
    if (isNew && !mine && message.id > this.newestAtLoad && !message.deleted) {
      this.announceMessage(li.dataset.authorName, textOf(message.body_html));
    }
    if (message.author?.id) this.stopTyping(message.author.id);
  }

  place(li, id) {
    // Usually the newest: walk back from the end.
    let next = null;
    for (let node = this.list.lastElementChild; node; node = node.previousElementSibling) {
      if (Number(node.dataset.id) < id) break;
      next = node;
    }
    this.list.insertBefore(li, next);
  }

  // (Re)build one message from its data; keeps the focus on the same button if it survives.
  render(li) {
    const focused = document.activeElement && li.contains(document.activeElement) ? document.activeElement : null;
    const focusedAction = focused?.dataset.chatAction;
    const deleted = li.hasAttribute("data-deleted");
    const authorId = li.dataset.author ? Number(li.dataset.author) : null;
    const mine = authorId === this.me;
    const name = li.dataset.authorName;
    const created = new Date(li.dataset.created);
    li.className = `portal-chat__message${mine ? " portal-chat__message--mine" : ""}`;

    const meta = element("p", { className: "portal-chat__meta fr-mb-0" });
    meta.append(element("span", { className: "portal-author", text: name }));
    if (li.dataset.operator) {
      meta.append(" ", element("span", { className: "fr-badge fr-badge--sm fr-badge--no-icon", text: li.dataset.operator }));
    }
    meta.append(" ", element("time", { className: "fr-text--sm", text: formatCreated(li.dataset.created), attrs: { datetime: li.dataset.created } }));
    if (li.hasAttribute("data-edited") && !deleted) {
      meta.append(" ", element("span", { className: "portal-edited fr-text--sm", text: "(modifié)" }));
    }
    const parts = [meta];
    if (deleted) {
      parts.push(element("p", { className: "portal-chat__body portal-empty fr-mb-0", text: "Message supprimé" }));
    } else {
      const body = element("div", { className: "portal-chat__body" });
      body.innerHTML = li.bodyHtml; // sanitised by the server (frames or its own rendering)
      parts.push(body, this.actions(li, { mine, name, created }));
    }
    li.replaceChildren(...parts);
    if (focused) {
      const same = focusedAction && li.querySelector(`[data-chat-action="${focusedAction}"]`);
      if (same) same.focus();
      else {
        li.tabIndex = -1; // its button is gone (message deleted): the focus stays on the message
        li.focus();
      }
    }
  }

  actions(li, { mine, name, created }) {
    const list = element("ul", { className: "portal-chat__actions fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left" });
    const time = hourMinute(created);
    const button = (action, label, detail, icon, extra = {}) => {
      const item = element("li");
      const node = element("button", {
        className: `fr-btn fr-btn--sm fr-btn--tertiary-no-outline ${icon} fr-btn--icon-left`,
        text: label,
        attrs: { type: "button", "data-chat-action": action, ...extra },
      });
      node.append(srOnly(detail));
      item.append(node);
      list.append(item);
    };
    if (mine) {
      if (this.mayPost && !this.editExpired(li)) {
        button("edit", "Modifier", ` votre message de ${time}`, "fr-icon-edit-line");
      }
      button("delete", "Supprimer", ` votre message de ${time}`, "fr-icon-delete-line");
    } else {
      if (this.moderator) button("delete", "Supprimer", ` le message de ${name} de ${time}`, "fr-icon-delete-line");
      button("report", "Signaler", ` le message de ${name} de ${time}`, "fr-icon-flag-line", {
        "aria-controls": "chat-report-modal",
        "data-fr-opened": "false",
      });
    }
    return list;
  }

  expireEditButtons() {
    for (const edit of this.list.querySelectorAll('[data-chat-action="edit"]')) {
      const li = edit.closest("li[data-id]");
      if (edit !== document.activeElement && this.editExpired(li)) edit.closest("li").remove();
    }
  }

  editExpired(li) {
    return Date.now() - new Date(li.dataset.created).getTime() >= this.editWindow;
  }

  isAtBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight <= AT_BOTTOM;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  // --- #message-<n> links (notifications) ----------------------------------------------

  setUpAnchor() {
    const found = window.location.hash.match(/^#message-(\d+)$/);
    const wanted = found ? Number(found[1]) : null;
    const lowest = Math.min(...this.messages.keys());
    this.scrollToBottom();
    if (!wanted) return;
    this.anchor = wanted; // shown when it arrives, if not here yet
    if (this.messages.has(wanted)) this.revealAnchor();
    else if (wanted < lowest && lowest - wanted <= ANCHOR_REACH) {
      // Older than what the server rendered: load from there (history pages up to now).
      this.base = wanted - 1;
    }
  }

  revealAnchor() {
    const li = this.anchor && this.messages.get(this.anchor);
    if (!li) return;
    li.classList.add("portal-chat__message--target");
    li.scrollIntoView({ block: "center" });
    this.anchor = null;
  }

  // --- writing --------------------------------------------------------------------------

  bindForm() {
    if (!this.form) return;
    this.sentBodies = new Map(); // client_id -> Markdown source, to edit it later
    this.input.disabled = false;
    this.sendButton.disabled = false;
    this.updateCounter();
    this.input.addEventListener("input", () => {
      this.updateCounter();
      this.clearError();
      this.sendTyping();
    });
    this.input.addEventListener("keyup", () => this.updateCounter()); // a chosen @mention
    this.input.addEventListener("keydown", (event) => {
      // Enter sends, Shift+Enter goes to the line; not while a mention list chooses.
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.defaultPrevented) return;
      if (this.input.getAttribute("aria-activedescendant")) return;
      event.preventDefault();
      this.submit();
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  updateCounter() {
    const length = codePoints(this.input.value.trim());
    this.counter.textContent = `${length} / ${this.maxLength} caractères`;
    this.counter.classList.toggle("fr-error-text", length > this.maxLength);
  }

  showError(detail) {
    if (!this.error) return;
    this.error.textContent = detail;
    this.error.hidden = false;
    this.group.classList.add("fr-input-group--error");
    this.input.classList.add("fr-input--error");
  }

  clearError() {
    if (!this.error || this.error.hidden) return;
    this.error.hidden = true;
    this.error.textContent = "";
    this.group.classList.remove("fr-input-group--error");
    this.input.classList.remove("fr-input--error");
  }

  sendTyping() {
    const now = Date.now();
    if (!this.ready || !this.isOpen() || !this.input.value.trim() || now - this.typingSentAt < TYPING_EVERY) return;
    this.typingSentAt = now;
    this.send({ type: "typing" });
  }

  submit() {
    if (this.stopped) return;
    const body = this.input.value.trim();
    if (!body) {
      this.showError("Écrivez votre message avant de l'envoyer.");
      return;
    }
    const length = codePoints(body);
    if (length > this.maxLength) {
      this.showError(`Le message dépasse ${this.maxLength} caractères (${length}) : raccourcissez-le.`);
      return;
    }
    this.clearError();
    const entry = { clientId: newClientId(), body, state: "pending", sentOn: 0, retryAt: 0 };
    const waiting = this.outbox.some((e) => e.state === "pending");
    entry.direct = this.ready && this.isOpen() && !this.inflight && this.queue.length === 0 && !waiting;
    entry.li = this.pendingItem(entry);
    this.outbox.push(entry);
    this.sentBodies.set(entry.clientId, body);
    this.input.value = "";
    this.updateCounter();
    this.scrollToBottom(); // the person just wrote: show it
    this.pump();
  }

  pendingItem(entry) {
    const li = element("li", { className: "portal-chat__message portal-chat__message--mine portal-chat__message--pending" });
    li.dataset.clientId = entry.clientId;
    const meta = element("p", { className: "portal-chat__meta fr-mb-0" });
    meta.append(element("span", { className: "portal-author", text: "Vous" }), " ", element("span", { className: "portal-chat__state fr-text--sm", text: "envoi en cours…" }));
    const body = element("div", { className: "portal-chat__body" });
    body.append(element("p", { className: "portal-chat__text", text: entry.body }));
    li.append(meta, body);
    this.outboxList.append(li);
    return li;
  }

  confirm(clientId) {
    const index = this.outbox.findIndex((entry) => entry.clientId === clientId);
    if (index >= 0) {
      this.outbox[index].li.remove();
      this.outbox.splice(index, 1);
    }
    this.complete((a) => a.kind === "message" && a.entry.clientId === clientId);
  }

  messageRefused(entry, code, detail) {
    if (entry.direct && !this.input.value) {
      // Refused as soon as it was sent: it goes back to the field, unchanged.
      entry.li.remove();
      this.outbox.splice(this.outbox.indexOf(entry), 1);
      this.input.value = entry.body;
      this.updateCounter();
      this.showError(detail);
      this.note(`Message non envoyé : ${detail}`);
      return;
    }
    this.showError(detail);
    this.note(`Message non envoyé : ${detail}`);
    if (code === "rate_limited") {
      entry.sentOn = 0;
      entry.retryAt = Date.now() + RATE_LIMIT_RETRY;
      return;
    }
    this.failEntry(entry, detail);
  }

  failEntry(entry, detail) {
    entry.state = "failed";
    entry.li.classList.replace("portal-chat__message--pending", "portal-chat__message--failed");
    entry.li.querySelector(".portal-chat__state").textContent = `non envoyé : ${detail}`;
    if (this.stopped || !this.form) return;
    const actions = element("ul", { className: "portal-chat__actions fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left" });
    const retake = element("button", { className: "fr-btn fr-btn--sm fr-btn--tertiary-no-outline", text: "Reprendre dans le champ", attrs: { type: "button" } });
    retake.addEventListener("click", () => {
      this.input.value = this.input.value ? `${this.input.value}\n${entry.body}` : entry.body;
      this.updateCounter();
      entry.li.remove();
      this.outbox.splice(this.outbox.indexOf(entry), 1);
      this.input.focus();
    });
    const item = element("li");
    item.append(retake);
    actions.append(item);
    entry.li.append(actions);
  }

  // --- one request at a time --------------------------------------------------------------

  enqueue(action) {
    this.queue.push(action);
    this.pump();
  }

  pump() {
    clearTimeout(this.pumpTimer);
    if (this.inflight || !this.ready || !this.isOpen()) return;
    let action = this.queue.shift();
    if (!action) {
      const entry = this.outbox.find((e) => e.state === "pending" && e.sentOn !== this.connection);
      if (!entry) return;
      const wait = entry.retryAt - Date.now();
      if (wait > 0) {
        this.pumpTimer = setTimeout(() => this.pump(), wait); // in order: the next ones wait too
        return;
      }
      entry.sentOn = this.connection;
      action = { kind: "message", entry, frame: { type: "message", body: entry.body, client_id: entry.clientId } };
    }
    const silence = action.kind === "message" ? MESSAGE_WAIT : ACTION_SILENCE;
    this.inflight = { action, timer: setTimeout(() => this.silent(), silence) };
    this.send(action.frame);
  }

  // No answer: errors come at once, so an edit or deletion went through (or changed
  // nothing); a message waits for its frame and is sent again on the next connection.
  silent() {
    const { action } = this.inflight;
    this.inflight = null;
    if (action.kind !== "message") action.done?.();
    this.pump();
  }

  complete(matches) {
    if (!this.inflight || !matches(this.inflight.action)) return false;
    clearTimeout(this.inflight.timer);
    const { action } = this.inflight;
    this.inflight = null;
    action.done?.();
    this.pump();
    return true;
  }

  // --- actions on a message -----------------------------------------------------------------

  bindList() {
    this.list.addEventListener("click", (event) => {
      const button = event.target.closest("[data-chat-action]");
      if (!button) return;
      const li = button.closest("li[data-id]");
      const id = Number(li.dataset.id);
      const action = button.dataset.chatAction;
      if (action === "edit") this.openEditor(li, id);
      else if (action === "delete") this.confirmDelete(li, id, button);
      else if (action === "report") this.openReport(li, id, button);
    });
  }

  openEditor(li, id) {
    if (this.editExpired(li)) {
      this.note("Un message se modifie dans les 15 minutes qui suivent son envoi.");
      li.querySelector('[data-chat-action="edit"]')?.closest("li").remove();
      li.tabIndex = -1;
      li.focus();
      return;
    }
    const body = li.querySelector(".portal-chat__body");
    const actions = li.querySelector(".portal-chat__actions");
    const source = this.bodies.get(id) ?? textOf(body.innerHTML);
    const form = element("form", { className: "portal-chat__edit", attrs: { novalidate: "" } });
    const group = element("div", { className: "fr-input-group" });
    const fieldId = `chat-edit-${id}`;
    const label = element("label", { className: "fr-label", text: "Modifier votre message", attrs: { for: fieldId } });
    const textarea = element("textarea", { className: "fr-input", attrs: { id: fieldId, rows: "2", "aria-describedby": `${fieldId}-error` } });
    textarea.value = source;
    const error = element("p", { className: "fr-error-text", attrs: { id: `${fieldId}-error` } });
    error.hidden = true;
    group.append(label, textarea, error);
    const buttons = element("ul", { className: "fr-btns-group fr-btns-group--inline fr-btns-group--sm" });
    const save = element("button", { className: "fr-btn fr-btn--sm", text: "Enregistrer", attrs: { type: "submit" } });
    const cancel = element("button", { className: "fr-btn fr-btn--sm fr-btn--secondary", text: "Annuler", attrs: { type: "button" } });
    for (const node of [save, cancel]) {
      const item = element("li");
      item.append(node);
      buttons.append(item);
    }
    form.append(group, buttons);
    body.hidden = true;
    actions.hidden = true;
    li.insertBefore(form, actions);
    textarea.focus();

    let saving = false; // not disabling the button: a disabled button drops the focus
    const refuse = (detail) => {
      saving = false;
      error.textContent = detail;
      error.hidden = false;
      group.classList.add("fr-input-group--error");
      textarea.classList.add("fr-input--error");
      textarea.focus();
    };
    const submit = () => {
      if (saving) return undefined;
      const text = textarea.value.trim();
      if (!text) return refuse("Le message est vide : pour l'effacer, supprimez-le.");
      if (codePoints(text) > this.maxLength) {
        return refuse(`Le message dépasse ${this.maxLength} caractères (${codePoints(text)}) : raccourcissez-le.`);
      }
      if (text === (this.bodies.get(id) ?? null)) return this.closeEditor(li, { focus: true });
      saving = true;
      this.enqueue({
        kind: "edit",
        frame: { type: "edit", id, body: text },
        done: () => {
          this.bodies.set(id, text);
          if (li.querySelector(".portal-chat__edit")) this.closeEditor(li, { focus: true });
        },
        refused: refuse,
      });
      return undefined;
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit();
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.closeEditor(li, { focus: true });
      } else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    cancel.addEventListener("click", () => this.closeEditor(li, { focus: true }));
  }

  closeEditor(li, { focus }) {
    li.querySelector(".portal-chat__edit")?.remove();
    const body = li.querySelector(".portal-chat__body");
    const actions = li.querySelector(".portal-chat__actions");
    if (body) body.hidden = false;
    if (actions) actions.hidden = false;
    if (focus) {
      const edit = li.querySelector('[data-chat-action="edit"]');
      if (edit) edit.focus();
      else {
        li.tabIndex = -1;
        li.focus();
      }
    }
  }

  confirmDelete(li, id, button) {
    const item = button.closest("li");
    const confirm = element("button", { className: "fr-btn fr-btn--sm", text: "Confirmer la suppression", attrs: { type: "button" } });
    const cancel = element("button", { className: "fr-btn fr-btn--sm fr-btn--secondary", text: "Annuler", attrs: { type: "button" } });
    const kept = [...item.childNodes];
    const confirmItem = element("li");
    confirmItem.append(confirm);
    item.replaceChildren(cancel);
    item.before(confirmItem);
    confirm.focus();
    const restore = () => {
      confirmItem.remove();
      item.replaceChildren(...kept);
      button.focus();
    };
    cancel.addEventListener("click", restore);
    let asked = false;
    confirm.addEventListener("click", () => {
      if (asked) return; // not disabled: a disabled button drops the focus
      asked = true;
      this.enqueue({
        kind: "delete",
        frame: { type: "delete", id },
        done: () => this.note("Message supprimé."),
        refused: (detail) => {
          asked = false;
          if (confirmItem.isConnected) restore();
          this.showError(detail);
          this.note(detail);
        },
      });
    });
  }

  // --- reports (DSFR modal) -----------------------------------------------------------------

  bindReport() {
    if (!this.dialog) return;
    this.reportForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const reason = this.reportReason.value.trim();
      if (!reason) {
        this.reportRefused("Indiquez le motif du signalement.");
        return;
      }
      if (this.reportTarget === null || this.reporting) return;
      this.reporting = true; // not disabling the button: a disabled button drops the focus
      this.enqueue({
        kind: "report",
        frame: { type: "report", id: this.reportTarget, reason },
        done: () => {
          this.reporting = false;
        },
        refused: (detail) => {
          this.reporting = false;
          this.reportRefused(detail);
        },
      });
    });
    this.dialog.addEventListener("dsfr.conceal", () => {
      this.reportTarget = null;
    });
  }

  openReport(li, id) {
    // The DSFR opens the modal (the button's aria-controls) and gives the focus back on close.
    this.reportTarget = id;
    this.reportReason.value = "";
    this.reportClearError();
    const excerpt = shorten(textOf(li.querySelector(".portal-chat__body")?.innerHTML || ""), 200);
    this.reportExcerpt.textContent = `Message de ${li.dataset.authorName} : « ${excerpt} »`;
  }

  reportRefused(detail) {
    this.reportError.textContent = detail;
    this.reportError.hidden = false;
    this.reportGroup.classList.add("fr-input-group--error");
    this.reportReason.focus();
  }

  reportClearError() {
    this.reportError.hidden = true;
    this.reportError.textContent = "";
    this.reportGroup.classList.remove("fr-input-group--error");
  }

  closeReport() {
    const close = this.dialog.querySelector(".fr-btn--close");
    if (this.dialog.open || this.dialog.classList.contains("fr-modal--opened")) close.click();
  }

  // --- who is here, who is writing -------------------------------------------------------

  renderOnline() {
    if (!this.people) return;
    const names = [...this.online.entries()]
      .map(([id, name]) => (id === this.me ? `${name} (vous)` : name))
      .sort((a, b) => a.localeCompare(b, "fr"));
    this.people.replaceChildren(...names.map((name) => element("li", { text: name })));
    this.peopleCount.textContent = names.length ? `(${names.length})` : "";
  }

  stopTyping(authorId) {
    const typer = this.typers.get(authorId);
    if (!typer) return;
    clearTimeout(typer.timer);
    this.typers.delete(authorId);
    this.renderTyping();
  }

  renderTyping() {
    if (!this.typingLine) return;
    const names = [...this.typers.values()].map((t) => t.name);
    let text = "";
    if (names.length === 1) text = `${names[0]} est en train d'écrire…`;
    else if (names.length === 2) text = `${names[0]} et ${names[1]} sont en train d'écrire…`;
    else if (names.length > 2) text = "Plusieurs personnes sont en train d'écrire…";
    this.typingLine.textContent = text;
  }

  // --- the one live region ---------------------------------------------------------------

  announceMessage(name, text) {
    this.announcements.messages.push({ name, text: shorten(text, 200) });
    this.scheduleAnnounce();
  }

  note(text) {
    this.announcements.notes.push(text);
    this.scheduleAnnounce();
  }

  scheduleAnnounce() {
    if (!this.announceTimer) this.announceTimer = setTimeout(() => this.announce(), ANNOUNCE_AFTER);
  }

  announce() {
    this.announceTimer = null;
    const { notes, messages } = this.announcements;
    this.announcements = { notes: [], messages: [] };
    const parts = [...notes];
    if (messages.length > ANNOUNCE_ONE_BY_ONE) {
      const last = messages[messages.length - 1];
      parts.push(`${messages.length} nouveaux messages. Le dernier, de ${last.name} : ${last.text}`);
    } else {
      for (const m of messages) parts.push(`Nouveau message de ${m.name} : ${m.text}`);
    }
    // A new node each time: the same words twice are announced twice.
    this.live.replaceChildren(element("p", { text: parts.join(" ") }));
  }
}

for (const root of document.querySelectorAll("section[data-chat]")) {
  root.chat = new ChatPanel(root);
}
