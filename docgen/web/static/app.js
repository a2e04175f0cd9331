// docgen web page: choose a kind, upload or fill a form, check, preview, download.
// Plain JavaScript, no build step, nothing loaded from elsewhere. Text the user reads is Vietnamese.
"use strict";

(function () {
  const TOKEN = new URLSearchParams(location.search).get("token") || "";
  const $ = (id) => document.getElementById(id);
  const state = {
    kinds: [], info: {}, kind: null, schema: null, root: null,
    mode: "tep", uploadIsBatch: false, uploadIsWord: false, problems: [], job: null, previewUrl: null,
    origin: null,  // where each value of imported data was in the document it came from
  };
  const LONG = 10;  // lists of more items than this start folded

  // ------------------------------------------------------------------ talking to the server

  function headers() {
    return TOKEN ? { "X-Docgen-Token": TOKEN } : {};
  }

  async function call(path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = Object.assign({}, opts.headers || {}, headers());
    let resp;
    try {
      resp = await fetch(path, opts);
    } catch (e) {
      if (e.name === "AbortError") throw new Cancelled();
      throw new ServerError("Không kết nối được với máy chủ. Kiểm tra chương trình “docgen serve” còn chạy không.", []);
    }
    if (!resp.ok) {
      let body = {};
      try { body = await resp.json(); } catch (e) { if (e.name === "AbortError") throw new Cancelled(); body = {}; }
      throw new ServerError(body.detail || ("Máy chủ trả lời mã " + resp.status + "."), body.problems || [], resp.status);
    }
    return resp;
  }

  class ServerError extends Error {
    constructor(message, problems, status) {
      super(message);
      this.problems = problems || [];
      this.status = status || 0;
    }
  }

  // A request given up because the input changed: nothing to show.
  class Cancelled extends Error {}

  // ------------------------------------------------------------------ results belong to one input
  // Every request gets a ticket; a change of the input (kind, file, template, form) or a newer request
  // cancels the older one and clears what it showed, so that no answer is ever shown for other data.

  let ticketNo = 0;
  let controller = null;

  function begin() {
    if (controller) controller.abort();
    controller = new AbortController();
    ticketNo++;
    clearResults();
    return { no: ticketNo, signal: controller.signal };
  }

  function live(ticket) { return ticket.no === ticketNo; }

  function inputChanged(opts) {
    if (controller) controller.abort();
    controller = null;
    ticketNo++;
    clearResults(opts);
    busy(false);
  }

  // Preview, problems, messages, the batch's progress and download: gone. ``keepMarks``: a form edit keeps
  // the red marks on the fields as a list of what is left to fix, said to be from the last check.
  function clearResults(opts) {
    say("");
    $("loi").replaceChildren();
    state.problems = [];
    if (opts && opts.keepMarks) staleMarks(); else clearFieldErrors();
    if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
    state.previewUrl = null;
    $("anh-trang-1").removeAttribute("src");
    $("anh-trang").hidden = true;
    $("tai-zip").hidden = true;
    state.job = null;
    $("huy-viec").hidden = true;
    $("tien-do").hidden = true;
    $("tien-do-thanh").value = 0;
    $("tien-do-chu").textContent = "";
  }

  function fileNameOf(resp, fallback) {
    const cd = resp.headers.get("Content-Disposition") || "";
    const m = /filename="?([^";]+)"?/.exec(cd);
    return m ? m[1] : fallback;
  }

  async function saveResponse(resp, fallback) {
    const blob = await resp.blob();
    saveBlob(blob, fileNameOf(resp, fallback));
  }

  function saveBlob(blob, name) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
  }

  // ------------------------------------------------------------------ messages

  function say(text, kind) {
    const box = $("thong-bao");
    box.textContent = text || "";
    box.className = kind ? "msg " + kind : "";
  }

  function busy(on, text) {
    document.querySelectorAll("#buoc-3 .actions button").forEach((b) => { b.disabled = on || b.dataset.off === "1"; });
    if (on) say(text || "Đang xử lý…", "info");
  }

  function placeOf(p) {
    return p.where || p.path || "";
  }

  function showProblems(problems, heading) {
    state.problems = problems || [];
    const list = $("loi");
    list.replaceChildren();
    clearFieldErrors();
    if (!state.problems.length) return;
    for (const p of state.problems) {
      const li = document.createElement("li");
      const where = document.createElement("span");
      where.className = "where";
      where.textContent = placeOf(p) + (p.unit ? " — " + p.unit : "");
      const named = state.mode === "form" && state.root ? fieldName(p.path) : "";
      if (named) where.textContent = named + (p.where ? " — " + p.where : "");
      li.dataset.problemPath = p.path || "";  // for programs, as the code: a person reads the place and message
      li.dataset.code = p.code || "";
      const source = !p.where && originOf(p.path);
      if (source) where.textContent += " — trong văn bản gốc: " + source;
      const msg = document.createElement("span");
      msg.className = "message";
      msg.textContent = p.message;
      if (p.severity === "warning") {  // reported, not blocking: the document is still made
        li.classList.add("warning");
        msg.textContent = "Cảnh báo: " + p.message;
      }
      li.append(where, msg);
      if (state.mode === "form" && state.root) {
        li.tabIndex = 0;
        li.classList.add("link");
        li.title = "Bấm để đến ô có lỗi";
        li.addEventListener("click", () => focusPath(p.path));
        li.addEventListener("keydown", (e) => { if (e.key === "Enter") focusPath(p.path); });
      }
      list.append(li);
    }
    if (state.mode === "form" && state.root) markFields(state.problems);
    if (heading) say(heading, "error");
  }

  // Where the value at ``path`` (or the nearest enclosing one) was in the imported document.
  function originOf(path) {
    if (!state.origin) return "";
    for (let q = path; q; q = parentPath(q)) if (state.origin[q]) return state.origin[q];
    return "";
  }

  function reportError(err) {
    if (err instanceof Cancelled) return;
    if (err instanceof ServerError) {
      showProblems(err.problems);
      say(err.message, "error");
    } else if (err instanceof FormError) {
      say(err.message, "error");
      if (err.widget) err.widget.focus();
    } else {
      say("Lỗi trên trang: " + err.message, "error");
    }
  }

  // ------------------------------------------------------------------ paths, as docgen writes them

  const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

  function joinPath(base, key) {
    if (typeof key === "number") return base + "[" + key + "]";
    return IDENT.test(key) ? base + "." + key : base + '["' + key + '"]';
  }

  function parentPath(path) {
    const m = /(\[\d+\]|\["(?:[^"\\]|\\.)*"\]|\.[^.[]+)$/.exec(path);
    if (!m || path === "$") return null;
    return path.slice(0, m.index) || "$";
  }

  // ------------------------------------------------------------------ form widgets built from the schema

  class FormError extends Error {
    constructor(message, widget) { super(message); this.widget = widget; }
  }

  let defs = {};

  function resolve(schema) {
    if (schema && schema.$ref && schema.$ref.startsWith("#/$defs/")) {
      const name = schema.$ref.slice("#/$defs/".length);
      const rest = Object.assign({}, schema);
      delete rest.$ref;
      return Object.assign({}, defs[name] || {}, rest);
    }
    return schema || {};
  }

  function isOutlineItem(s) {
    return Array.isArray(s.type) && s.properties && ("tieu_de" in s.properties || "gach" in s.properties);
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function labelOf(schema, key) {
    return schema["x-nhan"] || key || "";
  }

  // The description for a person: codes written as their labels (the server's "x-huong-dan").
  function helpOf(schema) {
    return schema["x-huong-dan"] || schema.description || "";
  }

  // A labelled field around a control; errors for its path are shown inside it.
  function fieldShell(schema, key, required, control, opts) {
    const box = el("div", "field" + ((opts && opts.wide) ? " wide" : ""));
    const id = "f" + Math.random().toString(36).slice(2, 10);
    const label = el("label");
    label.htmlFor = id;
    if (schema["x-nhom"]) label.append(el("span", "group", schema["x-nhom"]));
    label.append(document.createTextNode(labelOf(schema, key)));
    if (required) label.append(el("span", "req", " *"));
    if (key) label.append(el("code", "key", key));
    control.id = id;
    box.append(label, control, el("div", "field-errors"));
    const help = helpOf(schema);
    if (help && help.replace(/\.$/, "") !== labelOf(schema, key)) box.append(el("div", "help", help));
    return box;
  }

  // A list that folds: its label, count and help in the summary line and above the body.
  function foldShell(schema, key, required, cls) {
    const shell = el("details", cls);
    const label = el("summary", "list-label");
    if (schema["x-nhom"]) label.append(el("span", "group", schema["x-nhom"]));
    label.append(document.createTextNode(labelOf(schema, key)));
    if (required) label.append(el("span", "req", " *"));
    if (key) label.append(el("code", "key", key));
    const count = el("span", "count");
    label.append(count);
    const body = el("div", "list-body");
    shell.append(label, body);
    if (helpOf(schema) && helpOf(schema).replace(/\.$/, "") !== labelOf(schema, key)) {
      body.append(el("div", "help", helpOf(schema)));
    }
    return { el: shell, body, count };
  }

  function make(schemaIn, value, key, required) {
    const schema = resolve(schemaIn);
    if (isOutlineItem(schema)) return new OutlineItem(schema, value, key);
    if (schema.enum) return new Choice(schema, value, key, required);
    const type = Array.isArray(schema.type) ? null : schema.type;
    if (type === "boolean") return new YesNo(schema, value, key, required);
    if (type === "integer" || type === "number") return new NumberField(schema, value, key, required);
    if (type === "string") return new TextField(schema, value, key, required);
    if (type === "object" && schema.properties) return new ObjectField(schema, value, key, required);
    if (type === "object" && schema.patternProperties) return new MapField(schema, value, key, required);
    if (type === "array") {
      return isGridItem(schema.items || {}) && fitsGrid(value)
        ? new GridField(schema, value, key, required) : new ListField(schema, value, key, required);
    }
    return new JsonField(schema, value, key, required);
  }

  class Widget {
    setPath(path) { this.path = path; this.el.dataset.path = path; }
    focus() {
      openAncestors(this.el);
      const c = this.el.querySelector("input, select, textarea");
      if (c) { c.focus(); c.scrollIntoView({ block: "center" }); }
    }
    emptyValue() { return ""; }
  }

  class TextField extends Widget {
    constructor(schema, value, key, required) {
      super();
      const date = schema.format === "date";
      this.input = document.createElement(date ? "input" : "textarea");
      if (date) this.input.type = "date";
      else { this.input.rows = 1; this.input.className = "grow"; }
      if (typeof value === "string") this.input.value = value;
      else if (value !== undefined && value !== null) this.input.value = JSON.stringify(value);
      this.el = fieldShell(schema, key, required, this.input, { wide: !date });
    }
    get() {
      const v = this.input.value;
      return v === "" ? undefined : v;
    }
  }

  class NumberField extends Widget {
    constructor(schema, value, key, required) {
      super();
      this.input = document.createElement("input");
      this.input.type = "number";
      this.input.step = schema.type === "integer" ? "1" : "any";
      if (schema.minimum !== undefined) this.input.min = schema.minimum;
      if (schema.maximum !== undefined) this.input.max = schema.maximum;
      if (value !== undefined && value !== null) this.input.value = value;
      this.el = fieldShell(schema, key, required, this.input);
    }
    get() {
      const v = this.input.value.trim();
      if (v === "") return undefined;
      const n = Number(v);
      return Number.isFinite(n) ? n : v;
    }
    emptyValue() { return null; }
  }

  function enumText(schema, code) {
    const labels = schema["x-nhan-enum"] || {};
    const label = labels[String(code)];
    if (!label || label === String(code)) return String(code);
    return /^[A-Z0-9]+$/.test(String(code)) ? code + " — " + label : label;
  }

  class Choice extends Widget {
    constructor(schema, value, key, required) {
      super();
      this.schema = schema;
      this.input = document.createElement("select");
      const first = schema.default !== undefined
        ? "(bỏ trống — mặc định: " + enumText(schema, schema.default) + ")" : "(chọn)";
      this.input.append(new Option(first, ""));
      for (const v of schema.enum) this.input.append(new Option(enumText(schema, v), JSON.stringify(v)));
      if (value !== undefined && value !== null) {
        const raw = JSON.stringify(value);
        if (!schema.enum.some((v) => JSON.stringify(v) === raw)) this.input.append(new Option(String(value) + " (không có trong danh sách)", raw));
        this.input.value = raw;
      }
      this.el = fieldShell(schema, key, required, this.input);
    }
    get() { return this.input.value === "" ? undefined : JSON.parse(this.input.value); }
    emptyValue() { return null; }
  }

  class YesNo extends Choice {
    constructor(schema, value, key, required) {
      super(Object.assign({}, schema, { enum: [true, false], "x-nhan-enum": { "true": "Có", "false": "Không" } }),
        value, key, required);
    }
  }

  class JsonField extends Widget {
    constructor(schema, value, key, required) {
      super();
      this.input = document.createElement("textarea");
      this.input.className = "json";
      this.input.rows = 4;
      this.input.spellcheck = false;
      if (value !== undefined) this.input.value = JSON.stringify(value, null, 2);
      this.el = fieldShell(schema, key, required, this.input, { wide: true });
      this.el.querySelector("label").append(el("span", "group", "dạng JSON"));
      this.labelText = labelOf(schema, key) || "dạng JSON";
    }
    get() {
      const v = this.input.value.trim();
      if (v === "") return undefined;
      try { return JSON.parse(v); } catch (e) {
        throw new FormError("Ô “" + this.labelText + "” không phải JSON hợp lệ: " + e.message, this);
      }
    }
    emptyValue() { return null; }
  }

  class ObjectField extends Widget {
    constructor(schema, value, key, required, isRoot) {
      super();
      this.schema = schema;
      this.isRoot = !!isRoot;
      const obj = (value && typeof value === "object" && !Array.isArray(value)) ? value : {};
      const req = new Set(schema.required || []);
      this.children = [];
      this.extra = {};
      for (const [k, v] of Object.entries(obj)) if (!(schema.properties && k in schema.properties)) this.extra[k] = v;
      if (isRoot) {
        this.el = el("div", "object root");
        this.body = this.el;
      } else {
        this.el = el("details", "object");
        const summary = el("summary");
        if (schema["x-nhom"]) summary.append(el("span", "group", schema["x-nhom"]));
        summary.append(document.createTextNode(labelOf(schema, key)));
        if (required) summary.append(el("span", "req", " *"));
        if (key) summary.append(el("code", "key", key));
        this.el.append(summary);
        this.body = el("div", "object-body");
        if (helpOf(schema) && helpOf(schema).replace(/\.$/, "") !== labelOf(schema, key)) {
          this.body.append(el("div", "help", helpOf(schema)));
        }
        this.el.append(this.body);
        this.el.open = required || Object.keys(obj).length > 0;
      }
      this.errors = el("div", "field-errors");
      this.body.prepend(this.errors);
      for (const [k, s] of Object.entries(schema.properties || {})) {
        const only = resolve(s);
        // Nothing to choose: "$schema", and a setting with one possible value and a default.
        if (k === "$schema" || (only.enum && only.enum.length === 1 && only.default !== undefined && !(k in obj))) continue;
        const w = make(s, obj[k], k, req.has(k));
        w.key = k;
        this.children.push(w);
        this.body.append(w.el);
      }
      if (!isRoot) {
        // The summary of a closed item names it: the first text filled in (a name, a title).
        this.hint = el("span", "hint");
        this.el.querySelector("summary").append(this.hint);
        this.el.addEventListener("input", () => this.updateHint());
        this.updateHint();
      }
    }
    updateHint() {
      const first = this.children.find((c) => c instanceof TextField && c.input.tagName === "TEXTAREA" && c.input.value);
      const text = first ? first.input.value : "";
      this.hint.textContent = text ? " — " + (text.length > 60 ? text.slice(0, 57) + "…" : text) : "";
    }
    setPath(path) {
      super.setPath(path);
      for (const c of this.children) c.setPath(joinPath(path, c.key));
    }
    get() {
      const out = {};
      for (const c of this.children) {
        const v = c.get();
        if (v !== undefined) out[c.key] = v;
      }
      Object.assign(out, this.extra);
      return (Object.keys(out).length || this.isRoot) ? out : undefined;
    }
    emptyValue() { return {}; }
  }

  // A list whose items grow and shrink; item i keeps path [i] because empty items are sent too. A list of its
  // own (not the children of an outline item) folds: folded at first when it is long.
  class ListField extends Widget {
    constructor(schema, value, key, required, opts) {
      super();
      this.schema = schema;
      this.itemSchema = resolve(schema.items || {});
      this.items = [];
      const simple = !["object", "array"].includes(this.itemSchema.type) && !isOutlineItem(this.itemSchema);
      this.simple = simple;
      const values = Array.isArray(value) ? value : [];
      if (opts && opts.bare) {
        this.el = el("div", "field list");
        this.body = this.el;
      } else {
        Object.assign(this, foldShell(schema, key, required, "field list fold"));
      }
      this.body.append(el("div", "field-errors"));
      this.list = el("ol", "items" + (simple ? " simple" : ""));
      this.body.append(this.list);
      this.addButton = el("button", "add secondary",
        (opts && opts.addText) || (simple ? "+ Thêm dòng" : "+ Thêm " + lowerFirst(labelOf(this.itemSchema, "mục"))));
      this.addButton.type = "button";
      this.addButton.addEventListener("click", () => { const w = this.add(undefined); this.renumber(); changed(this.el); w.focus(); });
      this.body.append(this.addButton);
      if (values.length) values.forEach((v) => this.add(v));
      else if (required) for (let i = 0; i < Math.max(1, schema.minItems || 0); i++) this.add(undefined);
      if (value !== undefined && !Array.isArray(value)) this.stray = value;
      // Long: many items, counting those inside the items (an outline's sub-items).
      if (this.el.tagName === "DETAILS") this.el.open = this.list.querySelectorAll("li.item").length <= LONG;
      this.updateCount();
    }
    updateCount() {
      if (this.count) this.count.textContent = this.items.length ? " — " + this.items.length + " mục" : "";
    }
    add(v) {
      const w = make(this.itemSchema, v, null, false);
      const li = el("li", "item");
      const bar = el("div", "item-bar");
      const no = el("span", "item-no");
      const tools = el("span", "item-tools");
      const up = button("↑", "Chuyển lên", () => this.move(w, -1));
      const down = button("↓", "Chuyển xuống", () => this.move(w, 1));
      const del = button("✕", "Xóa dòng này", () => { this.remove(w); changed(this.el); });
      del.classList.add("danger");
      tools.append(up, down, del);
      bar.append(no, tools);
      li.append(bar, w.el);
      w.li = li;
      w.no = no;
      this.items.push(w);
      this.list.append(li);
      return w;
    }
    move(w, step) {
      const i = this.items.indexOf(w), j = i + step;
      if (j < 0 || j >= this.items.length) return;
      this.items.splice(i, 1);
      this.items.splice(j, 0, w);
      if (step < 0) this.list.insertBefore(w.li, this.items[j + 1].li);
      else this.list.insertBefore(w.li, this.items[j - 1].li.nextSibling);
      this.renumber();
      changed(this.el);
    }
    remove(w) {
      this.items.splice(this.items.indexOf(w), 1);
      w.li.remove();
      this.renumber();
    }
    renumber() {
      if (this.path !== undefined) this.setPath(this.path);
      this.updateCount();
    }
    setPath(path) {
      super.setPath(path);
      this.items.forEach((w, i) => {
        w.no.textContent = String(i + 1);
        w.setPath(joinPath(path, i));
      });
    }
    get() {
      if (this.stray !== undefined && !this.items.length) return this.stray;
      if (!this.items.length) return undefined;
      return this.items.map((w) => { const v = w.get(); return v === undefined ? w.emptyValue() : v; });
    }
  }

  // ------------------------------------------------------------------ lists of records as a grid

  // A list whose items are records of plain values (and of small groups of them, like "diem": nhóm 1, nhóm 2,
  // tổng) is edited as a table, one row per item: the member lists of the rating documents, the remedies.
  function isPlain(s) {
    s = resolve(s);
    return !isOutlineItem(s) && (!!s.enum || ["string", "integer", "number", "boolean"].includes(s.type));
  }

  function isGridItem(schemaIn) {
    const s = resolve(schemaIn);
    if (s.type !== "object" || !s.properties || isOutlineItem(s)) return false;
    return Object.entries(s.properties).every(([k, p]) => {
      if (k === "$schema" || isPlain(p)) return true;
      p = resolve(p);
      return p.type === "object" && !!p.properties && Object.values(p.properties).every(isPlain);
    });
  }

  function isRecord(v) { return !!v && typeof v === "object" && !Array.isArray(v); }

  // Data the grid can hold without losing any of it: nothing, or a list of records.
  function fitsGrid(value) {
    if (value === undefined) return true;
    return Array.isArray(value) && value.every((v) => isRecord(v) &&
      Object.values(v).every((x) => !Array.isArray(x)));
  }

  // Text compared loosely: Unicode NFC, case and spaces ignored.
  function loose(text) { return String(text).normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim(); }

  const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
  const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

  function isoDate(text) {
    const m = DMY.exec(text.trim());
    if (!m) return null;
    return m[3] + "-" + m[2].padStart(2, "0") + "-" + m[1].padStart(2, "0");
  }

  function shownDate(value) {
    const m = ISO.exec(value);
    return m ? m[3] + "/" + m[2] + "/" + m[1] : value;
  }

  // Rows copied out of a spreadsheet: cells separated by tabs, rows by line breaks; a cell holding a tab, a
  // line break or a quote is quoted ("…", with "" for a quote), as Excel and LibreOffice write it.
  function parseTsv(text) {
    const rows = [];
    let row = [], cell = "", i = 0, quoted = false, atStart = true;
    text = text.replace(/\r\n?/g, "\n");
    while (i < text.length) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        if (c === '"') { quoted = false; i++; continue; }
        cell += c; i++; continue;
      }
      if (c === '"' && atStart) { quoted = true; atStart = false; i++; continue; }
      if (c === "\t") { row.push(cell); cell = ""; atStart = true; i++; continue; }
      if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; atStart = true; i++; continue; }
      cell += c; atStart = false; i++;
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows.filter((r) => r.some((c) => c.trim() !== ""));
  }

  // One column: a plain field of the record, or of one of its groups (keys ["diem", "tong"]).
  class GridColumn {
    constructor(keys, schema, group, required) {
      this.keys = keys;
      this.schema = resolve(schema);
      this.group = group;  // the group's schema, or null
      this.required = required;
      this.label = this.schema["x-cot"] || labelOf(this.schema, keys[keys.length - 1]);
      const s = this.schema;
      this.kind = s.enum ? "choice" : s.type === "boolean" ? "yesno" : s.format === "date" ? "date"
        : (s.type === "integer" || s.type === "number") ? "number" : "text";
    }
    get sub() { return this.keys.map((k) => joinPath("", k)).join(""); }  // ".diem.tong"
    // What a header of a pasted block may say for this column.
    names() {
      const s = this.schema;
      const out = [this.label, labelOf(s, ""), this.keys.join("."), this.keys[this.keys.length - 1], s["x-cot"]];
      if (this.group) out.push(labelOf(this.group, "") + ": " + labelOf(s, ""));
      return out.filter(Boolean).map(loose);
    }
    options() {
      if (this.kind === "yesno") return [[true, "Có"], [false, "Không"]];
      const labels = this.schema["x-nhan-enum"] || {};
      return this.schema.enum.map((v) => [v, enumText(this.schema, v), labels[String(v)]]);
    }
    // The JSON value of a pasted (or typed) text; what it cannot read stays as typed, for the check to name.
    parse(text) {
      const t = text.trim();
      if (t === "") return undefined;
      if (this.kind === "choice" || this.kind === "yesno") {
        const key = loose(t);
        const extra = this.kind === "yesno" ? [[true, "x"], [true, "true"], [false, "false"]] : [];
        for (const [v, shown, label] of this.options().concat(extra)) {
          if ([String(v), shown, label].some((n) => n !== undefined && loose(n) === key)) return v;
        }
        return t;
      }
      if (this.kind === "number") {
        const n = Number(/^[+-]?\d+,\d+$/.test(t) ? t.replace(",", ".") : t);
        return Number.isFinite(n) ? n : t;
      }
      if (this.kind === "date") return isoDate(t) || t;
      return text.replace(/\n+$/, "");
    }
  }

  class GridCell {
    constructor(col) {
      this.col = col;
      this.td = el("td", "cell " + col.kind);
      if (col.kind === "choice" || col.kind === "yesno") {
        this.input = document.createElement("select");
        this.input.append(new Option("", ""));
        for (const [v, shown] of col.options()) this.input.append(new Option(shown, JSON.stringify(v)));
      } else if (col.kind === "text") {
        this.input = document.createElement("textarea");
        this.input.rows = 1;
        this.input.className = "grow";
      } else {
        this.input = document.createElement("input");
        if (col.kind === "date") this.input.placeholder = "ngày/tháng/năm";
        if (col.kind === "number") this.input.inputMode = "decimal";
      }
      this.input.setAttribute("aria-label", col.label);
      this.td.append(this.input);
    }
    set(value) {
      const input = this.input;
      if (input.tagName === "SELECT") {
        if (value === undefined || value === null) { input.value = ""; return; }
        const raw = JSON.stringify(value);
        if (![...input.options].some((o) => o.value === raw)) {
          input.append(new Option(String(value) + " (không có trong danh sách)", raw));
        }
        input.value = raw;
        return;
      }
      if (value === undefined || value === null) input.value = "";
      else if (this.col.kind === "date" && typeof value === "string") input.value = shownDate(value);
      else input.value = typeof value === "string" ? value : String(value);
    }
    get() {
      const v = this.input.value;
      if (this.input.tagName === "SELECT") return v === "" ? undefined : JSON.parse(v);
      if (this.col.kind === "text") return v === "" ? undefined : v;
      return this.col.parse(v);
    }
    empty() { return this.input.value === ""; }
  }

  class GridRow {
    constructor(grid, value) {
      this.grid = grid;
      this.tr = el("tr", "grid-row");
      this.problems = el("tr", "row-problems");
      this.problems.hidden = true;
      const cell = el("td", "");
      cell.colSpan = grid.columns.length + 1;
      this.problemText = el("div", "row-problem-list");
      cell.append(this.problemText);
      this.problems.append(cell);
      const no = el("td", "no");
      this.no = el("span", "row-no");
      const del = button("✕", "Xóa dòng này", () => grid.removeRow(this));
      del.classList.add("danger", "row-delete");
      no.append(this.no, del);
      this.tr.append(no);
      this.cells = grid.columns.map((c) => new GridCell(c));
      this.cells.forEach((c, i) => {
        if (i === 0) c.td.classList.add("first");
        this.tr.append(c.td);
      });
      this.extra = {};  // what the record holds beyond the columns: kept, sent back as it was
      this.load(value);
    }
    load(value) {
      const record = isRecord(value) ? JSON.parse(JSON.stringify(value)) : {};
      for (const c of this.cells) {
        const [k, j] = c.col.keys;
        if (j === undefined) { c.set(record[k]); delete record[k]; continue; }
        const group = record[k];
        c.set(isRecord(group) ? group[j] : undefined);
        if (isRecord(group)) { delete group[j]; if (!Object.keys(group).length) delete record[k]; }
      }
      this.extra = record;
    }
    get() {
      const out = JSON.parse(JSON.stringify(this.extra));
      for (const c of this.cells) {
        const v = c.get();
        if (v === undefined) continue;
        const [k, j] = c.col.keys;
        if (j === undefined) out[k] = v;
        else { if (!isRecord(out[k])) out[k] = {}; out[k][j] = v; }
      }
      return out;
    }
    isEmpty() { return this.cells.every((c) => c.empty()) && !Object.keys(this.extra).length; }
  }

  class GridField extends Widget {
    constructor(schema, value, key, required) {
      super();
      this.schema = schema;
      this.key = key;
      this.required = required;
      this.itemSchema = resolve(schema.items || {});
      this.columns = this.makeColumns();
      this.rows = [];
      const values = Array.isArray(value) ? value : [];
      Object.assign(this, foldShell(schema, key, required, "field list fold grid-field"));
      this.body.append(el("div", "field-errors"));
      const tools = el("div", "row grid-tools");
      const add = el("button", "add secondary", "+ Thêm dòng");
      add.type = "button";
      add.addEventListener("click", () => {
        const row = this.addRow(undefined);
        this.renumber();
        changed(this.el);
        row.cells[0].input.focus();
      });
      const paste = el("button", "secondary paste-open", "Dán các dòng chép từ Excel");
      paste.type = "button";
      paste.addEventListener("click", () => { this.pasteBox.hidden = false; this.pasteText.focus(); });
      const compactLabel = el("label", "compact");
      this.compact = document.createElement("input");
      this.compact.type = "checkbox";
      this.compact.checked = values.length > 0;
      this.compact.addEventListener("change", () => this.showColumns());
      compactLabel.append(this.compact, document.createTextNode(" Ẩn các cột chưa có dữ liệu"));
      tools.append(add, paste, compactLabel);
      this.body.append(tools);
      this.pasteBox = this.makePasteBox();
      this.body.append(this.pasteBox);
      this.note = el("p", "help grid-note");
      this.body.append(this.note);
      const scroll = el("div", "grid-scroll");
      this.table = el("table", "grid");
      this.table.append(this.makeHead());
      this.tbody = el("tbody");
      this.table.append(this.tbody);
      scroll.append(this.table);
      this.body.append(scroll);
      this.tbody.addEventListener("paste", (e) => this.onPaste(e));
      if (values.length) values.forEach((v) => this.addRow(v));
      else if (required) this.addRow(undefined);
      this.el.open = this.rows.length > 0 && this.rows.length <= LONG;  // nothing in it, or long: folded
      this.el.addEventListener("input", () => this.updateCount());
      grids.push(this);
      this.showColumns();
      this.updateCount();
    }
    makeColumns() {
      const props = this.itemSchema.properties;
      const required = new Set(this.itemSchema.required || []);
      const order = (s, i) => (s["x-thu-tu"] !== undefined ? s["x-thu-tu"] : 1000 + i);
      const groups = Object.entries(props).filter(([k]) => k !== "$schema").map(([k, raw], i) => {
        const s = resolve(raw);
        if (isPlain(s)) return { at: order(s, i), columns: [new GridColumn([k], s, null, required.has(k))] };
        const inner = Object.entries(s.properties).map(([j, sub], n) => ({ j, sub: resolve(sub), n }));
        inner.sort((a, b) => order(a.sub, a.n) - order(b.sub, b.n));
        const columns = inner.map(({ j, sub }) => new GridColumn([k, j], sub, s, false));
        return { at: Math.min(...inner.map(({ sub, n }) => order(sub, i + n / 100))), columns };
      });
      groups.sort((a, b) => a.at - b.at);
      return groups.flatMap((g) => g.columns);
    }
    makeHead() {
      const head = el("thead");
      const top = el("tr"), bottom = el("tr");
      const no = el("th", "no", "STT");
      no.rowSpan = 2;
      top.append(no);
      this.heads = [];
      let i = 0;
      while (i < this.columns.length) {
        const col = this.columns[i];
        if (!col.group) {
          const th = this.headCell(col);
          th.rowSpan = 2;
          top.append(th);
          this.heads.push(th);
          i++;
          continue;
        }
        let n = 0;
        while (i + n < this.columns.length && this.columns[i + n].group === col.group) n++;
        const gh = el("th", "group-head", labelOf(col.group, col.keys[0]));
        gh.colSpan = n;
        gh.title = helpOf(col.group) || "";
        gh.dataset.key = col.keys[0];  // the JSON key, for programs: a person reads the label and its help
        top.append(gh);
        for (let m = 0; m < n; m++) {
          const th = this.headCell(this.columns[i + m]);
          th.groupHead = gh;
          bottom.append(th);
          this.heads.push(th);
        }
        i += n;
      }
      head.append(top, bottom);
      return head;
    }
    headCell(col) {
      const th = el("th", "col " + col.kind, col.label);
      if (col.required) th.append(el("span", "req", " *"));
      th.title = helpOf(col.schema) || col.label;
      th.dataset.key = col.keys.join(".");
      return th;
    }
    makePasteBox() {
      const box = el("div", "paste-box");
      box.hidden = true;
      box.append(el("p", "help", "Trong Excel, chọn các dòng (có thể cả dòng tiêu đề) rồi bấm Ctrl+C; bấm vào ô dưới " +
        "đây rồi bấm Ctrl+V. Có dòng tiêu đề thì cột được khớp theo tên cột; không có thì theo thứ tự cột của bảng. " +
        "Ngày ghi ngày/tháng/năm; mức xếp loại ghi đầy đủ hoặc viết tắt (HTTNV …)."));
      this.pasteText = document.createElement("textarea");
      this.pasteText.className = "paste-text";
      this.pasteText.rows = 5;
      this.pasteText.spellcheck = false;
      const go = el("button", "paste-add", "Thêm các dòng này vào bảng");
      go.type = "button";
      go.addEventListener("click", () => {
        const text = this.pasteText.value;
        const start = this.rows.length - [...this.rows].reverse().findIndex((r) => !r.isEmpty());
        this.paste(text, this.rows.every((r) => r.isEmpty()) ? 0 : Math.min(start, this.rows.length), 0);
        this.pasteText.value = "";
        box.hidden = true;
      });
      const cancel = el("button", "secondary", "Thôi");
      cancel.type = "button";
      cancel.addEventListener("click", () => { this.pasteText.value = ""; box.hidden = true; });
      const row = el("div", "row");
      row.append(go, cancel);
      box.append(this.pasteText, row);
      return box;
    }
    onPaste(e) {
      const text = (e.clipboardData || window.clipboardData).getData("text");
      if (!/[\t\n]/.test(text.replace(/\n+$/, ""))) return;  // one value: the cell takes it as typed
      const td = e.target.closest("td.cell");
      const row = this.rows.find((r) => r.tr.contains(td));
      if (!row) return;
      e.preventDefault();
      const visible = this.visibleColumns();
      const col = row.cells.findIndex((c) => c.td === td);
      this.paste(text, this.rows.indexOf(row), Math.max(0, visible.indexOf(this.columns[col])));
    }
    visibleColumns() { return this.columns.filter((c, i) => !this.heads[i].hidden); }
    // Pasted rows into the grid from row ``at``, column ``from`` (of the visible ones) on; a header row picks
    // the columns by name instead.
    paste(text, at, from) {
      const lines = parseTsv(text);
      if (!lines.length) return;
      let targets = null, byHeader = false;
      const ignored = [];
      const header = lines[0].map((h) => loose(h));
      const named = header.map((h) => (h ? this.columns.find((c) => c.names().includes(h)) : undefined));
      const filled = header.filter(Boolean).length;
      if (named.filter(Boolean).length >= Math.max(1, Math.ceil(filled / 2))) {
        targets = named;
        byHeader = true;
        lines[0].forEach((h, i) => { if (h.trim() && !named[i]) ignored.push(h.trim()); });
        lines.shift();
      } else {
        const visible = this.visibleColumns();
        targets = lines[0].map((_, i) => visible[from + i]);
        const width = Math.max(...lines.map((l) => l.length));
        if (from + width > visible.length) ignored.push((from + width - visible.length) + " cột thừa ở bên phải");
      }
      lines.forEach((line, n) => {
        while (this.rows.length <= at + n) this.addRow(undefined);
        const row = this.rows[at + n];
        line.forEach((text, i) => {
          const col = targets[i];
          if (!col) return;
          row.cells[this.columns.indexOf(col)].set(col.parse(text));
        });
      });
      this.renumber();
      this.showColumns();
      this.note.textContent = "Đã dán " + lines.length + " dòng" + (byHeader ? ", cột khớp theo dòng tiêu đề" : "") +
        (ignored.length ? "; bỏ qua: " + ignored.join(", ") : "") + ". Kiểm tra lại rồi bấm “Kiểm tra dữ liệu”.";
      changed(this.el);
    }
    addRow(value) {
      const row = new GridRow(this, value);
      this.rows.push(row);
      this.tbody.append(row.tr, row.problems);
      row.cells.forEach((c, i) => { c.td.hidden = this.heads ? this.heads[i].hidden : false; });
      return row;
    }
    removeRow(row) {
      this.rows.splice(this.rows.indexOf(row), 1);
      row.tr.remove();
      row.problems.remove();
      this.renumber();
      changed(this.el);
    }
    // Columns shown: all, or (compact) those that are required, hold data or have a problem.
    showColumns() {
      this.columns.forEach((col, i) => {
        const used = col.required || this.rows.some((r) => !r.cells[i].empty() || r.cells[i].td.classList.contains("has-error"));
        const hide = this.compact.checked && !used;
        this.heads[i].hidden = hide;
        for (const r of this.rows) r.cells[i].td.hidden = hide;
      });
      for (const th of this.heads) {
        if (!th.groupHead) continue;
        const members = this.heads.filter((h) => h.groupHead === th.groupHead);
        th.groupHead.colSpan = Math.max(1, members.filter((h) => !h.hidden).length);
        th.groupHead.hidden = members.every((h) => h.hidden);
      }
    }
    updateCount() {
      this.count.textContent = this.rows.length ? " — " + this.rows.length + " dòng" : " — chưa có dòng nào";
    }
    renumber() {
      if (this.path !== undefined) this.setPath(this.path);
      this.updateCount();
    }
    setPath(path) {
      super.setPath(path);
      this.rows.forEach((r, i) => {
        r.no.textContent = String(i + 1);
        const rp = joinPath(path, i);
        r.tr.dataset.path = rp;
        r.cells.forEach((c) => { c.td.dataset.path = rp + c.col.sub; });
      });
    }
    get() {
      if (!this.rows.length) return undefined;
      return this.rows.map((r) => r.get());
    }
    focus() {
      openAncestors(this.el);
      const c = this.rows.length ? this.rows[0].cells[0].input : this.el.querySelector("button");
      if (c) c.focus();
    }
    owns(path) { return this.path !== undefined && (path === this.path || path.startsWith(this.path + "[")); }
    // A problem's row and column: ``[row, cell or null]`` (null: about the row itself or a field with no column).
    place(path) {
      const m = /^\[(\d+)\](.*)$/.exec(path.slice(this.path.length));
      if (!m) return [null, null];
      const row = this.rows[Number(m[1])];
      if (!row) return [null, null];
      return [row, row.cells.find((c) => c.col.sub === m[2]) || null];
    }
    clearMarks() {
      for (const r of this.rows) {
        r.tr.classList.remove("has-error", "has-warning");
        r.problems.hidden = true;
        r.problemText.replaceChildren();
        for (const c of r.cells) c.td.classList.remove("has-error", "has-warning");
      }
    }
    // The problem beside its row (the row's line under it), its cell marked; true when placed in a row.
    mark(p) {
      const [row, cell] = this.place(p.path || "");
      if (!row) return false;
      const warn = p.severity === "warning";
      const line = el("div", "field-error" + (warn ? " warning" : ""));
      const sub = p.path.slice(this.path.length).replace(/^\[\d+\]/, "");
      const what = cell ? cell.col.label : sub ? (this.columnGroupLabel(sub) || sub.replace(/^\./, "")) : "";
      if (what) line.append(el("strong", "", what + ": "));
      line.append(document.createTextNode(p.message));
      row.problemText.append(line);
      row.problems.hidden = false;
      row.tr.classList.add(warn ? "has-warning" : "has-error");
      if (cell) cell.td.classList.add(warn ? "has-warning" : "has-error");
      openAncestors(this.el);
      this.showColumns();
      return true;
    }
    columnGroupLabel(sub) {
      const key = /^\.([^.[]+)/.exec(sub);
      const col = key && this.columns.find((c) => c.keys[0] === key[1] && c.group);
      return col ? labelOf(col.group, key[1]) : "";
    }
    nameOf(path) {
      const [row, cell] = this.place(path);
      if (!row) return "";
      const n = "dòng " + (this.rows.indexOf(row) + 1);
      const who = row.cells[0].input.value.trim();
      return labelOf(this.schema, this.key) + ", " + n + (who ? " (" + who + ")" : "") + (cell ? ", cột " + cell.col.label : "");
    }
    focusPath(path) {
      const [row, cell] = this.place(path);
      openAncestors(this.el);
      const target = (cell || (row && row.cells[0]) || {}).input;
      if (target) { target.scrollIntoView({ block: "center", behavior: "smooth" }); target.focus({ preventScroll: true }); }
    }
  }

  let grids = [];  // the grids of the form now, for placing problems

  // Footnotes: code → text.
  class MapField extends Widget {
    constructor(schema, value, key, required) {
      super();
      this.valueSchema = Object.values(schema.patternProperties)[0] || {};
      this.rows = [];
      this.el = el("div", "field list map");
      const label = el("div", "list-label", labelOf(schema, key));
      if (required) label.append(el("span", "req", " *"));
      if (key) label.append(el("code", "key", key));
      this.el.append(label, el("div", "help", helpOf(schema)), el("div", "field-errors"));
      this.list = el("ol", "items");
      this.el.append(this.list);
      const add = el("button", "add secondary", "+ Thêm chú thích");
      add.type = "button";
      add.addEventListener("click", () => { const r = this.add("", ""); this.renumber(); r.code.focus(); });
      this.el.append(add);
      if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) this.add(k, v);
    }
    add(k, v) {
      const li = el("li", "item map-row");
      const code = document.createElement("input");
      code.placeholder = "mã, ví dụ 1";
      code.className = "code-input";
      code.value = k;
      const text = document.createElement("textarea");
      text.rows = 1;
      text.className = "grow";
      text.placeholder = "Nội dung chú thích";
      text.value = typeof v === "string" ? v : "";
      const row = { li, code, text };
      row.box = el("div", "field wide");
      row.box.append(text, el("div", "field-errors"));
      const del = button("✕", "Xóa chú thích này", () => {
        this.rows.splice(this.rows.indexOf(row), 1);
        li.remove();
        changed(this.list);
      });
      del.classList.add("danger");
      code.addEventListener("input", () => this.renumber());
      li.append(code, row.box, del);
      this.rows.push(row);
      this.list.append(li);
      return row;
    }
    renumber() { if (this.path !== undefined) this.setPath(this.path); }
    setPath(path) {
      super.setPath(path);
      for (const r of this.rows) r.box.dataset.path = joinPath(path, r.code.value.trim() || "?");
    }
    focus() { openAncestors(this.el); const c = this.el.querySelector("input, textarea"); if (c) c.focus(); }
    get() {
      const out = {};
      for (const r of this.rows) {
        const k = r.code.value.trim();
        if (k === "" && r.text.value === "") continue;
        out[k] = r.text.value;
      }
      return Object.keys(out).length ? out : undefined;
    }
    emptyValue() { return {}; }
  }

  // One element of an outline (the recursive "muc"): plain paragraph, heading, numbered paragraph or bullet,
  // with nested content for the last three.
  const OUTLINE_KINDS = [
    ["", "Đoạn văn thường"],
    ["tieu_de", "Đề mục (có số)"],
    ["doan", "Đoạn có số"],
    ["gach", "Gạch đầu dòng"],
  ];

  class OutlineItem extends Widget {
    constructor(schema, value, key) {
      super();
      this.schema = schema;
      const known = new Set(["tieu_de", "doan", "gach", "ma", "noi_dung"]);
      let type = "", text = "", ma = "", children;
      if (typeof value === "string") text = value;
      else if (value && typeof value === "object" && !Array.isArray(value)) {
        const kinds = ["tieu_de", "doan", "gach"].filter((k) => k in value);
        const odd = Object.keys(value).filter((k) => !known.has(k));
        if (kinds.length !== 1 || odd.length || typeof value[kinds[0]] !== "string") {
          this.raw = new JsonField(schema, value, key, false);  // unusual shape: edit it as JSON
          this.el = this.raw.el;
          return;
        }
        type = kinds[0];
        text = value[type];
        ma = value.ma || "";
        children = value.noi_dung;
      } else if (value !== undefined && value !== null) {
        this.raw = new JsonField(schema, value, key, false);
        this.el = this.raw.el;
        return;
      }
      this.el = el("div", "outline");
      this.el.append(el("div", "field-errors"));
      const bar = el("div", "outline-bar");
      this.kind = document.createElement("select");
      this.kind.className = "outline-kind";
      this.kind.title = "Loại dòng";
      for (const [v, t] of OUTLINE_KINDS) this.kind.append(new Option(t, v));
      this.kind.value = type;
      this.maBox = el("div", "field ma");
      this.ma = document.createElement("input");
      this.ma.placeholder = "mã dẫn chiếu (không bắt buộc)";
      this.ma.title = "Mã để dẫn chiếu số của đề mục này bằng [#mã]";
      this.ma.value = ma;
      this.maBox.append(this.ma, el("div", "field-errors"));
      bar.append(this.kind, this.maBox);
      this.textBox = el("div", "field wide");
      this.text = document.createElement("textarea");
      this.text.rows = 1;
      this.text.className = "grow";
      this.text.placeholder = "Nội dung (không gõ số thứ tự hay dấu gạch đầu dòng: hệ thống tự thêm)";
      this.text.value = text;
      this.textBox.append(this.text, el("div", "field-errors"));
      this.children = new ListField({ type: "array", items: schema }, children, null, false,
        { bare: true, addText: "+ Thêm ý con" });
      this.children.el.classList.add("outline-children");
      this.el.append(bar, this.textBox, this.children.el);
      this.kind.addEventListener("change", () => { this.sync(); this.setPath(this.path); });
      this.sync();
    }
    sync() {
      const obj = this.kind.value !== "";
      this.maBox.hidden = !obj;
      this.children.el.hidden = !obj;
      this.el.classList.toggle("heading", this.kind.value === "tieu_de");
    }
    setPath(path) {
      if (this.raw) { this.raw.setPath(path); this.path = path; return; }
      super.setPath(path);  // a plain paragraph's problems show at the top of the item
      const type = this.kind.value;
      if (type) this.textBox.dataset.path = joinPath(path, type);
      else delete this.textBox.dataset.path;
      this.maBox.dataset.path = joinPath(path, "ma");
      this.children.setPath(joinPath(path, "noi_dung"));
    }
    focus() { if (this.raw) return this.raw.focus(); openAncestors(this.el); this.text.focus(); }
    get() {
      if (this.raw) return this.raw.get();
      const type = this.kind.value;
      if (!type) return this.text.value === "" ? undefined : this.text.value;
      const out = {};
      out[type] = this.text.value;
      if (this.ma.value.trim()) out.ma = this.ma.value.trim();
      const kids = this.children.get();
      if (kids !== undefined) out.noi_dung = kids;
      return out;
    }
  }

  function button(text, title, onClick) {
    const b = el("button", "icon", text);
    b.type = "button";
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", onClick);
    return b;
  }

  function lowerFirst(s) { return s ? s.charAt(0).toLowerCase() + s.slice(1) : s; }

  // The form's data changed by a button (a row added, deleted, moved, pasted): said as an edit.
  function changed(node) { node.dispatchEvent(new Event("input", { bubbles: true })); }

  function openAncestors(node) {
    for (let n = node; n; n = n.parentElement) if (n.tagName === "DETAILS") n.open = true;
  }

  // ------------------------------------------------------------------ the form

  function buildForm(value) {
    const form = $("bieu-mau");
    form.replaceChildren();
    grids = [];
    if (!state.schema) return;
    defs = state.schema.$defs || {};
    state.root = new ObjectField(state.schema, value || {}, null, true, true);
    state.root.setPath("$");
    form.append(state.root.el);
    $("tom-tat-loi").hidden = true;
  }

  function collect() {
    if (!state.root) throw new FormError("Chưa có biểu mẫu.");
    state.root.setPath("$");
    return state.root.get();
  }

  function clearFieldErrors() {
    document.querySelectorAll("#bieu-mau .has-error, #bieu-mau .has-warning")
      .forEach((e) => e.classList.remove("has-error", "has-warning"));
    document.querySelectorAll("#bieu-mau .field-errors").forEach((e) => e.replaceChildren());
    for (const g of grids) g.clearMarks();
    $("tom-tat-loi").hidden = true;
  }

  // After an edit the marks stay, as what is left to fix, and say they are from the last check.
  function staleMarks() {
    const summary = $("tom-tat-loi");
    if (summary.hidden) return;
    summary.textContent = "Dữ liệu đã sửa sau lần kiểm tra trước: các ô còn đánh dấu là lỗi của lần kiểm tra " +
      "đó. Sửa xong bấm “Kiểm tra dữ liệu” để kiểm tra lại.";
    summary.classList.add("stale");
  }

  // The field just edited loses its own marks.
  function unmark(target) {
    const cell = target.closest("td.cell");
    if (cell) { cell.classList.remove("has-error", "has-warning"); return; }
    const box = target.closest(".field, .outline");
    if (box && (box.classList.contains("has-error") || box.classList.contains("has-warning"))) {
      box.classList.remove("has-error", "has-warning");
      const errs = Array.from(box.children).find((c) => c.classList.contains("field-errors"));
      if (errs) errs.replaceChildren();
    }
  }

  function gridOf(path) {
    return grids.find((g) => g.owns(path || "")) || null;
  }

  function findPathElement(path) {
    for (let p = path; p !== null; p = parentPath(p)) {
      const found = document.querySelector('#bieu-mau [data-path="' + CSS.escape(p) + '"]');
      if (found) return found;
    }
    return null;
  }

  // The label of the form field a path points to (or of the nearest enclosing one).
  // An item of a list is named by the list and its number ("Danh sách nơi nhận, dòng 2").
  function fieldName(path) {
    const grid = gridOf(path);
    if (grid && grid.place(path)[0]) return grid.nameOf(path);
    const box = findPathElement(path || "$");
    if (!box || box.dataset.path === "$") return "";
    const own = box.dataset.path;
    const item = /\[(\d+)\]$/.exec(own);
    if (item && isOutlineBox(box)) {
      // an item of the outline, by the places of the items it is in: "Nội dung kế hoạch, mục 2.1.3"
      const numbers = [];
      let at = own, list = "", m, b = box;
      while ((m = /^(.*)(\.[^.[\]]+)\[(\d+)\]$/.exec(at)) && isOutlineBox(b)) {
        numbers.unshift(Number(m[3]) + 1);
        list = m[1] + m[2];
        at = m[1];
        b = findPathElement(at);
      }
      const name = fieldName(list);
      return (name ? name + ", " : "") + "mục " + numbers.join(".");
    }
    if (item) {
      const list = fieldName(parentPath(own));
      return (list ? list + ", " : "") + "dòng " + (Number(item[1]) + 1);
    }
    const label = box.querySelector(":scope > label, :scope > summary, :scope > .list-label");
    if (!label) return fieldName(parentPath(own));
    const parts = Array.from(label.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent);
    return parts.join("").trim();
  }

  function isOutlineBox(box) {
    return !!box && (box.classList.contains("outline") || !!box.querySelector(":scope > .outline"));
  }

  function markFields(problems) {
    let shown = 0, errors = 0;
    for (const p of problems) {
      const warn = p.severity === "warning";
      if (!warn) errors++;
      const grid = gridOf(p.path);
      if (grid && grid.mark(p)) { shown++; continue; }
      const box = findPathElement(p.path || "$");
      if (!box) continue;
      const errs = Array.from(box.children).find((c) => c.classList.contains("field-errors")) ||
        box.querySelector(".field-errors");
      if (!errs) continue;
      const line = el("div", "field-error" + (warn ? " warning" : ""), p.message);
      if (box.dataset.path !== p.path && p.path) line.prepend(el("code", "key", p.path + ": "));
      errs.append(line);
      if (!warn || !box.classList.contains("has-error")) box.classList.add(warn ? "has-warning" : "has-error");
      openAncestors(box);
      shown++;
    }
    const summary = $("tom-tat-loi");
    summary.classList.remove("stale");
    summary.classList.toggle("warnings-only", !errors);  // nothing blocks: said as a caution, not an error
    const warnings = problems.length - errors;
    summary.textContent = errors
      ? "Dữ liệu có " + errors + " lỗi" + (warnings ? " và " + warnings + " cảnh báo" : "") +
        ", đã đánh dấu ở từng ô bên dưới. Sửa xong bấm “Kiểm tra dữ liệu” lại."
      : "Có " + warnings + " cảnh báo, đã đánh dấu ở từng ô bên dưới: xem lại, rồi bấm “Kiểm tra dữ liệu”.";
    summary.hidden = shown === 0;
  }

  function focusPath(path) {
    const grid = gridOf(path);
    if (grid && grid.place(path)[0]) { grid.focusPath(path); return; }
    const box = findPathElement(path || "$");
    if (!box) return;
    openAncestors(box);
    box.scrollIntoView({ block: "center", behavior: "smooth" });
    const c = box.querySelector("input, select, textarea");
    if (c) c.focus({ preventScroll: true });
  }

  // ------------------------------------------------------------------ what is sent

  function currentInput() {
    const fd = new FormData();
    fd.append("kind", state.kind.name);
    if (state.mode === "tep") {
      const f = $("tep").files[0];
      if (!f) throw new FormError("Chưa chọn tệp dữ liệu. Bấm “Chọn tệp dữ liệu” ở bước 2.");
      fd.append("file", f, f.name);
    } else {
      const data = collect();
      fd.append("file", new Blob([JSON.stringify(data)], { type: "application/json" }), state.kind.name + ".json");
    }
    const tpl = $("mau-word").files[0];
    if (tpl && !isBatchNow()) fd.append("template", tpl, tpl.name);
    return fd;
  }

  // ------------------------------------------------------------------ the document's number

  // What the number box sends: the number only when the user changed the one shown (otherwise the register
  // gives the next free one when the document is made, even if another office machine took this one since).
  function numberFields(fd, always) {
    if ($("so-van-ban").hidden) return fd;
    const typed = $("so").value.trim();
    if (typed && (always || typed !== String(state.suggested || ""))) fd.append("so", typed);
    if (!$("day-so-moi").hidden) {
      const term = $("bat-dau-lai").value === "nhiem-ky" ? $("nhiem-ky").value : "";
      fd.append("bat_dau_lai", term || "nam");
    }
    if ($("cap-lai").checked) fd.append("cap_lai", "1");
    return fd;
  }

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  async function refreshNumber() {
    let r;
    try {
      const resp = await call("/api/number", { method: "POST", body: currentInput() });
      r = await resp.json();
    } catch (err) { $("so-van-ban").hidden = true; return; }
    if (r.numbered !== true) { $("so-van-ban").hidden = r.numbered === false ? true : $("so-van-ban").hidden; return; }
    const batchNow = isBatchNow();
    const held = r.held || [];
    const shown = r.given != null ? r.given : (!batchNow && held.length ? held[0] : r.next);
    state.suggested = shown;
    $("so").value = shown;
    $("so-nhan").firstChild.textContent = batchNow ? "Số bắt đầu (văn bản đầu tiên của lô) " : "Số văn bản ";
    const parts = ["Sổ đăng ký văn bản đi: số kế tiếp của dãy “" + r.ky_hieu + "” (" + r.issuer + ") là " + pad(r.next) + "."];
    if (r.given != null) parts.push("Dữ liệu ghi sẵn số " + pad(r.given) + ".");
    if (held.length && !batchNow) parts.push("Văn bản này đã được cấp số " + pad(held[0]) + " trong sổ: tải lại được đúng số ấy.");
    if (held.length && batchNow) parts.push(held.length + " văn bản của lô đã có số trong sổ và giữ nguyên số ấy.");
    parts.push("Sửa ô này nếu cần một số khác; số được kiểm tra với sổ và ghi vào sổ khi tải văn bản về.");
    $("so-goi-y").textContent = parts.join(" ");
    $("day-so-moi").hidden = !r.new_series;
    $("so-van-ban").hidden = false;
  }

  function isBatchNow() {
    return state.mode === "tep" && state.uploadIsBatch;
  }

  function isWordName(name) {
    return /\.(docx|docm|dotx)$/i.test(name);
  }

  function importableKinds() {
    return state.kinds.filter((k) => k.import);
  }

  async function detectUpload() {
    const f = $("tep").files[0];
    state.uploadIsBatch = false;
    state.uploadIsWord = false;
    $("tep-da-chon").textContent = "";
    $("sua-trong-form").hidden = true;
    if (f) {
      const name = f.name.toLowerCase();
      if (name.endsWith(".xlsx") || name.endsWith(".xlsm")) state.uploadIsBatch = true;
      else if (isWordName(name)) state.uploadIsWord = true;
      else if (f.size < 20 * 1024 * 1024) {
        try {
          const data = JSON.parse(await f.text());
          state.uploadIsBatch = !!(data && typeof data === "object" && "chung" in data && "don_vi" in data);
          $("sua-trong-form").hidden = state.uploadIsBatch;
        } catch (e) { /* the server says what is wrong with it */ }
      }
      $("tep-da-chon").textContent = "Đã chọn: " + f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)" +
        (state.uploadIsBatch ? " — một lô nhiều văn bản" : "");
    }
    offerImport();
    updateButtons();
    $("so-van-ban").hidden = true;
    if (f) await refreshNumber();
  }

  // A Word document where data is expected: it may be last year's document (import it) or a template variant.
  function offerImport() {
    const box = $("goi-y-nhap");
    const f = $("tep").files[0];
    box.hidden = !(state.mode === "tep" && state.uploadIsWord && f);
    if (box.hidden) return;
    // Every kind that imports is offered (the registry says which): the chosen one first, if it imports.
    const importable = importableKinds();
    const target = state.kind.import ? state.kind : importable[0];
    const others = importable.filter((k) => k !== target);
    const go = $("nhap-tep-nay");
    go.hidden = !target;
    go.dataset.kind = target ? target.name : "";
    if (target) {
      go.textContent = target === state.kind ? "Nhập văn bản này thành dữ liệu " + target.title.toLowerCase()
        : "Chuyển sang “" + target.title + "” và nhập văn bản này";
    }
    $("nhap-loai-khac").replaceChildren(...others.map((k) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.dataset.kind = k.name;
      b.textContent = "Nhập thành “" + k.title + "”";
      return b;
    }));
    const titles = importable.map((k) => k.title.toLowerCase());
    const which = titles.length > 1 ? titles.slice(0, -1).join(", ") + " hoặc " + titles[titles.length - 1] : titles[0];
    $("goi-y-nhap-chu").textContent = "Tệp “" + f.name + "” là văn bản Word, không phải tệp dữ liệu. " +
      (target ? "Nếu đây là " + which + " đã có (ví dụ của năm trước), chương trình đọc nội " +
        "dung văn bản và điền vào biểu mẫu để sửa cho năm nay. " : "") +
      "Nếu đây là mẫu trình bày riêng, dùng nó làm mẫu Word.";
  }

  function updateButtons() {
    const batchKind = state.kind && state.kind.batch;
    const batchNow = isBatchNow();
    const noPdf = !state.info.libreoffice;
    document.querySelectorAll("#buoc-3 .single").forEach((b) => { b.hidden = batchNow; });
    $("tao-lo").hidden = !(batchKind && batchNow);
    for (const id of ["xem-truoc", "tai-pdf"]) {
      $(id).dataset.off = noPdf ? "1" : "0";
      $(id).disabled = noPdf;
      $(id).title = noPdf ? "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF." : "";
    }
    $("nhap-van-ban").hidden = !(state.kind && state.kind.import);
    const warn = $("canh-bao-lo");
    if (batchNow && !batchKind) {
      warn.textContent = "Tệp này là một lô nhiều văn bản, nhưng loại “" + state.kind.title + "” không tạo hàng loạt.";
      warn.hidden = false;
    } else if (noPdf) {
      warn.textContent = "Máy chủ chưa cài LibreOffice: tải được tệp Word, nhưng chưa xuất được PDF và chưa xem trước được.";
      warn.hidden = false;
    } else warn.hidden = true;
  }

  // ------------------------------------------------------------------ actions

  async function doValidate() {
    let t;
    try {
      const body = currentInput();
      t = begin();
      busy(true, "Đang kiểm tra…");
      const resp = await call("/api/validate", { method: "POST", body, signal: t.signal });
      const r = await resp.json();
      if (!live(t)) return;
      if (r.ok) {
        showProblems(r.problems || []);
        const warnings = (r.problems || []).length;
        say((r.batch ? "Dữ liệu hợp lệ: " + r.count + " văn bản." : "Dữ liệu hợp lệ. Có thể xem trước và tải văn bản.") +
          (warnings ? " Có " + warnings + " cảnh báo bên dưới, đề nghị kiểm tra lại." : ""), "ok");
        await refreshNumber();
      } else {
        showProblems(r.problems, "Dữ liệu có " + r.problems.filter((p) => p.severity !== "warning").length + " lỗi" +
          (r.batch && r.count ? " (trong lô " + r.count + " văn bản)" : "") + ":");
        if (state.mode === "tep" && !r.batch) $("sua-trong-form").hidden = false;
      }
    } catch (err) { if (!t || live(t)) reportError(err); } finally { if (t && live(t)) busy(false); }
  }

  async function doRender(format) {
    let t;
    try {
      const fd = numberFields(currentInput());
      fd.append("format", format);
      t = begin();
      busy(true, format === "pdf" ? "Đang tạo PDF (mất vài giây)…" : "Đang tạo văn bản…");
      const resp = await call("/api/render", { method: "POST", body: fd, signal: t.signal });
      const blob = await resp.blob();
      if (!live(t)) return;
      const name = fileNameOf(resp, state.kind.name + "." + format);
      saveBlob(blob, name);
      const taken = resp.headers.get("X-Docgen-So");
      say("Đã tạo " + name +
        (taken ? " — số " + decodeURIComponent(taken) + ", đã ghi vào sổ đăng ký văn bản đi." : "."), "ok");
      $("cap-lai").checked = false;
      if (taken) await refreshNumber();
    } catch (err) { if (!t || live(t)) reportError(err); } finally { if (t && live(t)) busy(false); }
  }

  async function doPreview() {
    let t;
    try {
      const body = numberFields(currentInput(), true);
      t = begin();
      busy(true, "Đang dựng trang 1 (mất vài giây)…");
      const resp = await call("/api/preview", { method: "POST", body, signal: t.signal });
      const blob = await resp.blob();
      if (!live(t)) return;
      state.previewUrl = URL.createObjectURL(blob);
      $("anh-trang-1").src = state.previewUrl;
      $("anh-trang").hidden = false;
      say("Trang 1 của văn bản ở bên dưới.", "ok");
    } catch (err) { if (!t || live(t)) reportError(err); } finally { if (t && live(t)) busy(false); }
  }

  async function doBatch() {
    let t;
    try {
      const fd = numberFields(currentInput());
      fd.append("pdf", state.info.libreoffice ? "true" : "false");
      t = begin();
      busy(true, "Đang gửi tệp…");
      const resp = await call("/api/jobs", { method: "POST", body: fd, signal: t.signal });
      const job = await resp.json();
      if (!live(t)) return;
      state.job = job.id;
      $("tien-do").hidden = false;
      $("huy-viec").hidden = false;
      $("huy-viec").disabled = false;
      await pollJob(job.id, t);
    } catch (err) {
      if (!t || live(t)) { reportError(err); $("tien-do").hidden = true; }
    } finally { if (t && live(t)) busy(false); }
  }

  async function pollJob(id, t) {
    for (;;) {
      const resp = await call("/api/jobs/" + encodeURIComponent(id), { signal: t.signal });
      const s = await resp.json();
      if (!live(t)) return;
      const bar = $("tien-do-thanh");
      bar.max = Math.max(1, s.total);
      bar.value = s.done;
      $("tien-do-chu").textContent = s.phase_text + (s.total ? ": " + s.done + "/" + s.total : "");
      if (s.state !== "cho" && s.state !== "dang_chay") $("huy-viec").hidden = true;
      if (s.state === "huy") {
        $("tien-do-chu").textContent = s.phase_text;
        say(s.message, "info");
        await refreshNumber();
        return;
      }
      if (s.state === "xong") {
        bar.value = bar.max;
        $("tien-do-chu").textContent = s.phase_text;
        const c = s.counts || {};
        const parts = ["Đã tạo " + (c.da_tao || 0) + "/" + (c.tong || 0) + " văn bản"];
        if (c.bo_qua) parts.push(c.bo_qua + " bỏ qua");
        if (c.loi) parts.push(c.loi + " có lỗi (xem danh sách và manifest.csv)");
        if (c.pdf) parts.push("có tat_ca.pdf để in");
        if (s.problems && s.problems.length) showProblems(s.problems);
        say(parts.join("; ") + "." + (s.message ? " " + s.message : ""), c.loi ? "error" : "ok");
        $("tai-zip").hidden = !s.download;
        $("cap-lai").checked = false;
        await refreshNumber();
        return;
      }
      if (s.state === "loi") {
        say(s.message || "Có lỗi khi tạo các văn bản.", "error");
        return;
      }
      const stopping = !$("huy-viec").hidden && $("huy-viec").disabled;  // "Hủy" pressed, the job not stopped yet
      busy(true, stopping ? "Đang dừng…" : s.phase_text + "…");
      await new Promise((r) => setTimeout(r, 600));
      if (!live(t)) return;
    }
  }

  // Stop the running batch (a wrong file, a change to make first): the server keeps nothing it made.
  async function cancelJob() {
    if (!state.job) return;
    $("huy-viec").disabled = true;
    try {
      await call("/api/jobs/" + encodeURIComponent(state.job) + "/cancel", { method: "POST" });
      say("Đang dừng…", "info");
    } catch (err) { reportError(err); $("huy-viec").disabled = false; }
  }

  async function downloadZip() {
    if (!state.job) return;
    try {
      const resp = await call("/api/jobs/" + encodeURIComponent(state.job) + "/download");
      await saveResponse(resp, "tat_ca.zip");
    } catch (err) { reportError(err); }
  }

  // Last year's document (Word, or text copied out of a PDF) read by the server into data, which fills the
  // form; the reader's warnings name their place in the document.
  async function doImport(file, kindName) {
    if (kindName && kindName !== state.kind.name) {
      $("loai").value = kindName;
      await chooseKind(kindName);
    }
    let t;
    try {
      const fd = new FormData();
      fd.append("kind", state.kind.name);
      fd.append("file", file, file.name);
      t = begin();
      busy(true, "Đang đọc “" + file.name + "”…");
      const resp = await call("/api/import", { method: "POST", body: fd, signal: t.signal });
      const r = await resp.json();
      if (!live(t)) return;
      $("tep").value = "";
      await detectUpload();
      await loadIntoForm(r.data);
      state.origin = r.origin || null;
      const found = (r.warnings || []).concat(r.problems || []);
      const errors = (r.problems || []).filter((p) => p.severity !== "warning").length;
      const warnings = found.length - errors;
      showProblems(found);
      say("Đã nhập “" + r.name + "” vào biểu mẫu." +
        (warnings ? " Có " + warnings + " cảnh báo: xem lại các đoạn được nêu (số dòng, số đoạn là của văn bản gốc)." : "") +
        (errors ? " Còn " + errors + " ô phải điền hoặc sửa." : "") +
        " Sửa cho năm nay rồi bấm “Kiểm tra dữ liệu”.", errors ? "error" : warnings ? "info" : "ok");
    } catch (err) { if (!t || live(t)) reportError(err); } finally { if (t && live(t)) busy(false); }
  }

  // ------------------------------------------------------------------ kinds, samples, tabs

  async function chooseKind(name) {
    inputChanged();
    state.origin = null;
    state.kind = state.kinds.find((k) => k.name === name);
    $("tai-excel").hidden = !state.kind.workbook;
    $("goi-y-loai").textContent = state.kind.form_note || "";
    const sel = $("mau-json");
    sel.replaceChildren();
    for (const s of state.kind.samples) {
      sel.append(new Option(s.name + (s.batch ? " (lô)" : ""), s.name));
    }
    $("mo-ta-loai").textContent = state.kind.workbook
      ? "Loại này làm được hàng loạt: tải sổ Excel mẫu, điền mỗi chi bộ một dòng, rồi tải lên để tạo tất cả."
      : state.kind.batch
        ? "Loại này làm được hàng loạt bằng tệp JSON lô văn bản (phần chung và mỗi đơn vị một phần riêng), hoặc từng văn bản: điền biểu mẫu hoặc tải lên tệp JSON."
        : "Loại này làm từng văn bản: điền biểu mẫu hoặc tải lên tệp JSON.";
    $("so-van-ban").hidden = true;
    try {
      const resp = await call("/api/kinds/" + encodeURIComponent(name) + "/schema");
      state.schema = await resp.json();
      buildForm({});
    } catch (err) { reportError(err); }
    offerImport();
    updateButtons();
    document.body.dataset.kind = name;  // the form of this kind is ready
  }

  function setMode(mode) {
    if (mode !== state.mode) inputChanged();
    state.mode = mode;
    $("tab-tep").setAttribute("aria-selected", String(mode === "tep"));
    $("tab-form").setAttribute("aria-selected", String(mode === "form"));
    $("khung-tep").hidden = mode !== "tep";
    $("khung-form").hidden = mode !== "form";
    offerImport();
    updateButtons();
  }

  async function loadIntoForm(data, problems) {
    if (data && typeof data === "object" && "chung" in data && "don_vi" in data) {
      say("Tệp này là một lô nhiều văn bản: biểu mẫu chỉ dùng cho một văn bản. Hãy dùng “Tải tệp lên”.", "error");
      return;
    }
    setMode("form");
    inputChanged();
    state.origin = null;
    buildForm(data);
    if (problems && problems.length) showProblems(problems, "Dữ liệu có " + problems.length + " lỗi:");
    else await refreshNumber();
  }

  async function sampleData() {
    const name = $("mau-json").value;
    const resp = await call("/api/kinds/" + encodeURIComponent(state.kind.name) + "/samples/" + encodeURIComponent(name));
    return { resp, name };
  }

  function wire() {
    $("loai").addEventListener("change", (e) => chooseKind(e.target.value));
    $("tab-tep").addEventListener("click", () => setMode("tep"));
    $("tab-form").addEventListener("click", () => setMode("form"));
    $("tep").addEventListener("change", () => { inputChanged(); detectUpload(); });
    $("kiem-tra").addEventListener("click", doValidate);
    $("tai-docx").addEventListener("click", () => doRender("docx"));
    $("tai-pdf").addEventListener("click", () => doRender("pdf"));
    $("xem-truoc").addEventListener("click", doPreview);
    $("tao-lo").addEventListener("click", doBatch);
    $("tai-zip").addEventListener("click", downloadZip);
    $("huy-viec").addEventListener("click", cancelJob);
    const form = $("bieu-mau");
    form.addEventListener("submit", (e) => e.preventDefault());
    for (const type of ["input", "change"]) {
      form.addEventListener(type, (e) => { unmark(e.target); inputChanged({ keepMarks: true }); });
    }
    $("tai-excel").addEventListener("click", async () => {
      try {
        const resp = await call("/api/kinds/" + encodeURIComponent(state.kind.name) + "/template.xlsx");
        await saveResponse(resp, "mau.xlsx");
      } catch (err) { reportError(err); }
    });
    $("tai-json").addEventListener("click", async () => {
      try { const { resp, name } = await sampleData(); await saveResponse(resp, name); } catch (err) { reportError(err); }
    });
    $("nap-mau").addEventListener("click", async () => {
      try {
        const { resp } = await sampleData();
        await loadIntoForm(await resp.json());
        say("Đã điền biểu mẫu bằng tệp mẫu; sửa lại cho đơn vị mình.", "ok");
      } catch (err) { reportError(err); }
    });
    $("mo-json").addEventListener("change", async (e) => {
      const f = e.target.files[0];
      e.target.value = "";
      if (!f) return;
      if (isWordName(f.name) && state.kind.import) { await doImport(f); return; }
      try { await loadIntoForm(JSON.parse(await f.text())); say("Đã mở " + f.name + " vào biểu mẫu.", "ok"); } catch (err) {
        say("Tệp " + f.name + " không phải JSON hợp lệ: " + err.message, "error");
      }
    });
    $("tep-nhap").addEventListener("change", async (e) => {
      const f = e.target.files[0];
      e.target.value = "";
      if (f) await doImport(f);
    });
    $("nhap-tep-nay").addEventListener("click", async (e) => {
      const f = $("tep").files[0];
      if (f) await doImport(f, e.target.dataset.kind);
    });
    $("nhap-loai-khac").addEventListener("click", async (e) => {
      const f = $("tep").files[0];
      if (f && e.target.dataset.kind) await doImport(f, e.target.dataset.kind);
    });
    $("dung-lam-mau").addEventListener("click", () => {
      const f = $("tep").files[0];
      if (!f) return;
      const moved = new DataTransfer();
      moved.items.add(f);
      $("mau-word").files = moved.files;
      $("mau-rieng").open = true;
      $("tep").value = "";
      inputChanged();
      detectUpload();
      say("Đã dùng “" + f.name + "” làm mẫu Word riêng. Bây giờ chọn tệp dữ liệu, hoặc điền biểu mẫu.", "info");
    });
    $("sua-trong-form").addEventListener("click", async () => {
      const f = $("tep").files[0];
      if (!f) return;
      const problems = state.problems;
      try { await loadIntoForm(JSON.parse(await f.text()), problems); } catch (err) {
        say("Tệp " + f.name + " không phải JSON hợp lệ nên không mở được trong biểu mẫu: " + err.message, "error");
      }
    });
    $("xoa-form").addEventListener("click", () => { inputChanged(); state.origin = null; buildForm({}); });
    $("luu-json").addEventListener("click", () => {
      try {
        const data = collect();
        saveBlob(new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" }), state.kind.name + ".json");
      } catch (err) { reportError(err); }
    });
    $("json-lay").addEventListener("click", () => {
      try { $("json-text").value = JSON.stringify(collect(), null, 2); } catch (err) { reportError(err); }
    });
    $("json-dua").addEventListener("click", () => {
      try {
        const data = JSON.parse($("json-text").value);
        inputChanged();
        buildForm(data);
        say("Đã đưa dữ liệu JSON vào biểu mẫu.", "ok");
      } catch (err) {
        say("Dữ liệu JSON chưa đúng cú pháp: " + err.message, "error");
      }
    });
    $("mau-word").addEventListener("change", () => { inputChanged(); updateButtons(); });
    $("bat-dau-lai").addEventListener("change", () => {
      $("nhiem-ky-nhan").hidden = $("bat-dau-lai").value !== "nhiem-ky";
    });
  }

  async function start() {
    wire();
    try {
      state.info = await (await call("/api/info")).json();
      state.kinds = await (await call("/api/kinds")).json();
    } catch (err) { reportError(err); return; }
    const sel = $("loai");
    for (const k of state.kinds) sel.append(new Option(k.title, k.name));  // the name typed on a command line is the value
    $("chan-trang").textContent = "docgen " + state.info.version + " · tệp tải lên tối đa " +
      Math.round(state.info.max_upload / 1048576 * 10) / 10 + " MB" +
      (state.info.libreoffice ? "" : " · chưa cài LibreOffice (không có PDF)");
    await chooseKind(state.kinds[0].name);
    setMode("tep");
  }

  start();
})();
