// docgen web page: choose a kind, upload or fill a form, check, preview, download.
// Plain JavaScript, no build step, nothing loaded from elsewhere. Text the user reads is Vietnamese.
"use strict";

(function () {
  const TOKEN = new URLSearchParams(location.search).get("token") || "";
  const $ = (id) => document.getElementById(id);
  const state = {
    kinds: [], info: {}, kind: null, schema: null, root: null,
    mode: "tep", uploadIsBatch: false, problems: [], job: null, previewUrl: null,
  };

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
      throw new ServerError("Không kết nối được với máy chủ. Kiểm tra chương trình “docgen serve” còn chạy không.", []);
    }
    if (!resp.ok) {
      let body = {};
      try { body = await resp.json(); } catch (e) { body = {}; }
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
      if (named) where.textContent = named + " (" + p.path + ")";
      const msg = document.createElement("span");
      msg.className = "message";
      msg.textContent = p.message;
      const code = document.createElement("code");
      code.textContent = p.code;
      if (p.severity === "warning") {  // reported, not blocking: the document is still made
        li.classList.add("warning");
        msg.textContent = "Cảnh báo: " + p.message;
      }
      li.append(where, msg, code);
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

  function reportError(err) {
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
    const help = schema.description;
    if (help && help.replace(/\.$/, "") !== labelOf(schema, key)) box.append(el("div", "help", help));
    return box;
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
    if (type === "array") return new ListField(schema, value, key, required);
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
        if (schema.description && schema.description.replace(/\.$/, "") !== labelOf(schema, key)) {
          this.body.append(el("div", "help", schema.description));
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

  // A list whose items grow and shrink; item i keeps path [i] because empty items are sent too.
  class ListField extends Widget {
    constructor(schema, value, key, required, opts) {
      super();
      this.schema = schema;
      this.itemSchema = resolve(schema.items || {});
      this.items = [];
      this.el = el("div", "field list");
      const simple = !["object", "array"].includes(this.itemSchema.type) && !isOutlineItem(this.itemSchema);
      this.simple = simple;
      if (!(opts && opts.bare)) {
        const label = el("div", "list-label");
        if (schema["x-nhom"]) label.append(el("span", "group", schema["x-nhom"]));
        label.append(document.createTextNode(labelOf(schema, key)));
        if (required) label.append(el("span", "req", " *"));
        if (key) label.append(el("code", "key", key));
        this.el.append(label);
        if (schema.description && schema.description.replace(/\.$/, "") !== labelOf(schema, key)) {
          this.el.append(el("div", "help", schema.description));
        }
      }
      this.el.append(el("div", "field-errors"));
      this.list = el("ol", "items" + (simple ? " simple" : ""));
      this.el.append(this.list);
      this.addButton = el("button", "add secondary",
        (opts && opts.addText) || (simple ? "+ Thêm dòng" : "+ Thêm " + lowerFirst(labelOf(this.itemSchema, "mục"))));
      this.addButton.type = "button";
      this.addButton.addEventListener("click", () => { const w = this.add(undefined); this.renumber(); w.focus(); });
      this.el.append(this.addButton);
      const values = Array.isArray(value) ? value : [];
      if (values.length) values.forEach((v) => this.add(v));
      else if (required) for (let i = 0; i < Math.max(1, schema.minItems || 0); i++) this.add(undefined);
      if (value !== undefined && !Array.isArray(value)) this.stray = value;
    }
    add(v) {
      const w = make(this.itemSchema, v, null, false);
      const li = el("li", "item");
      const bar = el("div", "item-bar");
      const no = el("span", "item-no");
      const tools = el("span", "item-tools");
      const up = button("↑", "Chuyển lên", () => this.move(w, -1));
      const down = button("↓", "Chuyển xuống", () => this.move(w, 1));
      const del = button("✕", "Xóa dòng này", () => this.remove(w));
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
    }
    remove(w) {
      this.items.splice(this.items.indexOf(w), 1);
      w.li.remove();
      this.renumber();
    }
    renumber() {
      if (this.path !== undefined) this.setPath(this.path);
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
      this.el.append(label, el("div", "help", schema.description || ""), el("div", "field-errors"));
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
      const del = button("✕", "Xóa chú thích này", () => { this.rows.splice(this.rows.indexOf(row), 1); li.remove(); });
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

  function openAncestors(node) {
    for (let n = node; n; n = n.parentElement) if (n.tagName === "DETAILS") n.open = true;
  }

  // ------------------------------------------------------------------ the form

  function buildForm(value) {
    const form = $("bieu-mau");
    form.replaceChildren();
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
    document.querySelectorAll("#bieu-mau .has-error").forEach((e) => e.classList.remove("has-error"));
    document.querySelectorAll("#bieu-mau .field-errors").forEach((e) => e.replaceChildren());
    $("tom-tat-loi").hidden = true;
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
    const box = findPathElement(path || "$");
    if (!box || box.dataset.path === "$") return "";
    const own = box.dataset.path;
    const item = /\[(\d+)\]$/.exec(own);
    if (item) {
      const list = fieldName(parentPath(own));
      return (list ? list + ", " : "") + "dòng " + (Number(item[1]) + 1);
    }
    const label = box.querySelector(":scope > label, :scope > summary, :scope > .list-label");
    if (!label) return fieldName(parentPath(own));
    const parts = Array.from(label.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent);
    return parts.join("").trim();
  }

  function markFields(problems) {
    let shown = 0;
    for (const p of problems) {
      const box = findPathElement(p.path || "$");
      if (!box) continue;
      const errs = Array.from(box.children).find((c) => c.classList.contains("field-errors")) ||
        box.querySelector(".field-errors");
      if (!errs) continue;
      const line = el("div", "field-error", p.message);
      if (box.dataset.path !== p.path && p.path) line.prepend(el("code", "key", p.path + ": "));
      errs.append(line);
      box.classList.add("has-error");
      openAncestors(box);
      shown++;
    }
    const summary = $("tom-tat-loi");
    summary.textContent = "Dữ liệu có " + problems.length + " lỗi, đã đánh dấu đỏ ở từng ô bên dưới. Sửa xong bấm “Kiểm tra dữ liệu” lại.";
    summary.hidden = shown === 0;
  }

  function focusPath(path) {
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

  function isBatchNow() {
    return state.mode === "tep" && state.uploadIsBatch;
  }

  async function detectUpload() {
    const f = $("tep").files[0];
    state.uploadIsBatch = false;
    $("tep-da-chon").textContent = "";
    $("sua-trong-form").hidden = true;
    if (f) {
      const name = f.name.toLowerCase();
      if (name.endsWith(".xlsx") || name.endsWith(".xlsm")) state.uploadIsBatch = true;
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
    updateButtons();
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
    busy(true, "Đang kiểm tra…");
    try {
      const resp = await call("/api/validate", { method: "POST", body: currentInput() });
      const r = await resp.json();
      if (r.ok) {
        showProblems(r.problems || []);
        const warnings = (r.problems || []).length;
        say((r.batch ? "Dữ liệu hợp lệ: " + r.count + " văn bản." : "Dữ liệu hợp lệ. Có thể xem trước và tải văn bản.") +
          (warnings ? " Có " + warnings + " cảnh báo bên dưới, đề nghị kiểm tra lại." : ""), "ok");
      } else {
        showProblems(r.problems, "Dữ liệu có " + r.problems.length + " lỗi" +
          (r.batch && r.count ? " (trong lô " + r.count + " văn bản)" : "") + ":");
        if (state.mode === "tep" && !r.batch) $("sua-trong-form").hidden = false;
      }
    } catch (err) { reportError(err); } finally { busy(false); }
  }

  async function doRender(format) {
    busy(true, format === "pdf" ? "Đang tạo PDF (mất vài giây)…" : "Đang tạo văn bản…");
    try {
      const fd = currentInput();
      fd.append("format", format);
      const resp = await call("/api/render", { method: "POST", body: fd });
      await saveResponse(resp, state.kind.name + "." + format);
      showProblems([]);
      say("Đã tạo " + fileNameOf(resp, state.kind.name + "." + format) + ".", "ok");
    } catch (err) { reportError(err); } finally { busy(false); }
  }

  async function doPreview() {
    busy(true, "Đang dựng trang 1 (mất vài giây)…");
    try {
      const resp = await call("/api/preview", { method: "POST", body: currentInput() });
      const blob = await resp.blob();
      if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
      state.previewUrl = URL.createObjectURL(blob);
      $("anh-trang-1").src = state.previewUrl;
      $("anh-trang").hidden = false;
      showProblems([]);
      say("Trang 1 của văn bản ở bên dưới.", "ok");
    } catch (err) { reportError(err); } finally { busy(false); }
  }

  async function doBatch() {
    busy(true, "Đang gửi tệp…");
    $("tai-zip").hidden = true;
    try {
      const fd = currentInput();
      fd.append("pdf", state.info.libreoffice ? "true" : "false");
      const resp = await call("/api/jobs", { method: "POST", body: fd });
      const job = await resp.json();
      state.job = job.id;
      showProblems([]);
      $("tien-do").hidden = false;
      await pollJob(job.id);
    } catch (err) { reportError(err); $("tien-do").hidden = true; } finally { busy(false); }
  }

  async function pollJob(id) {
    for (;;) {
      const resp = await call("/api/jobs/" + encodeURIComponent(id));
      const s = await resp.json();
      const bar = $("tien-do-thanh");
      bar.max = Math.max(1, s.total);
      bar.value = s.done;
      $("tien-do-chu").textContent = s.phase_text + (s.total ? ": " + s.done + "/" + s.total : "");
      if (s.state === "xong") {
        bar.value = bar.max;
        $("tien-do-chu").textContent = s.phase_text;
        const c = s.counts || {};
        const parts = ["Đã tạo " + (c.da_tao || 0) + "/" + (c.tong || 0) + " văn bản"];
        if (c.bo_qua) parts.push(c.bo_qua + " bỏ qua");
        if (c.loi) parts.push(c.loi + " có lỗi (xem danh sách và manifest.csv)");
        if (c.pdf) parts.push("có tat_ca.pdf để in");
        say(parts.join("; ") + "." + (s.message ? " " + s.message : ""), c.loi ? "error" : "ok");
        if (s.problems && s.problems.length) showProblems(s.problems);
        $("tai-zip").hidden = !s.download;
        return;
      }
      if (s.state === "loi") {
        say(s.message || "Có lỗi khi tạo các văn bản.", "error");
        return;
      }
      busy(true, s.phase_text + "…");
      await new Promise((r) => setTimeout(r, 600));
    }
  }

  async function downloadZip() {
    if (!state.job) return;
    try {
      const resp = await call("/api/jobs/" + encodeURIComponent(state.job) + "/download");
      await saveResponse(resp, "tat_ca.zip");
    } catch (err) { reportError(err); }
  }

  // ------------------------------------------------------------------ kinds, samples, tabs

  async function chooseKind(name) {
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
        ? "Loại này làm được hàng loạt: tải lên tệp JSON dạng lô để tạo tất cả, hoặc từng văn bản một."
        : "Loại này làm từng văn bản: điền biểu mẫu hoặc tải lên tệp JSON.";
    showProblems([]);
    say("");
    $("anh-trang").hidden = true;
    try {
      const resp = await call("/api/kinds/" + encodeURIComponent(name) + "/schema");
      state.schema = await resp.json();
      buildForm({});
    } catch (err) { reportError(err); }
    updateButtons();
    document.body.dataset.kind = name;  // the form of this kind is ready
  }

  function setMode(mode) {
    state.mode = mode;
    $("tab-tep").setAttribute("aria-selected", String(mode === "tep"));
    $("tab-form").setAttribute("aria-selected", String(mode === "form"));
    $("khung-tep").hidden = mode !== "tep";
    $("khung-form").hidden = mode !== "form";
    updateButtons();
  }

  async function loadIntoForm(data, problems) {
    if (data && typeof data === "object" && "chung" in data && "don_vi" in data) {
      say("Tệp này là một lô nhiều văn bản: biểu mẫu chỉ dùng cho một văn bản. Hãy dùng “Tải tệp lên”.", "error");
      return;
    }
    setMode("form");
    buildForm(data);
    if (problems && problems.length) showProblems(problems, "Dữ liệu có " + problems.length + " lỗi:");
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
    $("tep").addEventListener("change", detectUpload);
    $("kiem-tra").addEventListener("click", doValidate);
    $("tai-docx").addEventListener("click", () => doRender("docx"));
    $("tai-pdf").addEventListener("click", () => doRender("pdf"));
    $("xem-truoc").addEventListener("click", doPreview);
    $("tao-lo").addEventListener("click", doBatch);
    $("tai-zip").addEventListener("click", downloadZip);
    $("bieu-mau").addEventListener("submit", (e) => e.preventDefault());
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
      if (!f) return;
      try { await loadIntoForm(JSON.parse(await f.text())); say("Đã mở " + f.name + " vào biểu mẫu.", "ok"); } catch (err) {
        say("Tệp " + f.name + " không phải JSON hợp lệ: " + err.message, "error");
      }
      e.target.value = "";
    });
    $("sua-trong-form").addEventListener("click", async () => {
      const f = $("tep").files[0];
      if (!f) return;
      try { await loadIntoForm(JSON.parse(await f.text()), state.problems); } catch (err) {
        say("Tệp " + f.name + " không phải JSON hợp lệ nên không mở được trong biểu mẫu: " + err.message, "error");
      }
    });
    $("xoa-form").addEventListener("click", () => { buildForm({}); showProblems([]); say(""); });
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
      try { buildForm(JSON.parse($("json-text").value)); say("Đã đưa dữ liệu JSON vào biểu mẫu.", "ok"); } catch (err) {
        say("Dữ liệu JSON chưa đúng cú pháp: " + err.message, "error");
      }
    });
    $("mau-word").addEventListener("change", updateButtons);
  }

  async function start() {
    wire();
    try {
      state.info = await (await call("/api/info")).json();
      state.kinds = await (await call("/api/kinds")).json();
    } catch (err) { reportError(err); return; }
    const sel = $("loai");
    for (const k of state.kinds) sel.append(new Option(k.title + " (" + k.name + ")", k.name));
    $("chan-trang").textContent = "docgen " + state.info.version + " · tệp tải lên tối đa " +
      Math.round(state.info.max_upload / 1048576 * 10) / 10 + " MB" +
      (state.info.libreoffice ? "" : " · chưa cài LibreOffice (không có PDF)");
    await chooseKind(state.kinds[0].name);
    setMode("tep");
  }

  start();
})();
