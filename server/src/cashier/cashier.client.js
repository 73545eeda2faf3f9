/*
 * The hosted cashier's browser side, inlined into the page under the response's CSP nonce
 * (cashier.template.ts): countdown, status polling every 2 s (stale answers ignored by `sequence`),
 * client-side validation with the same rules as the field hints, the JSON submit, copy buttons.
 * Plain ES2017, no framework, no imports. It reads its settings and texts from the page's
 * `#cashier-config` JSON block (CashierClientConfig in cashier.model.ts).
 */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('cashier-config').textContent);
  var T = cfg.text;
  var FINAL = {};
  cfg.finalStatuses.forEach(function (s) { FINAL[s] = 1; });
  var RULES = {
    payer_name: function (v) { return v.length >= 2 && v.length <= 128; },
    payer_account: function (v) { return /^[0-9]{6,34}$/.test(v); },
    bank_code: function (v) { return /^[A-Za-z0-9_-]{2,32}$/.test(v); },
    payer_phone: function (v) { return /^\+?[0-9 ()-]{6,24}$/.test(v) && v.replace(/[^0-9]/g, '').length >= 6; },
    payer_id_number: function (v) { return /^[A-Za-z0-9 .\/-]{4,64}$/.test(v); },
    remark_code: function (v) { return v.length >= 1 && v.length <= 32; }
  };
  function $(id) { return document.getElementById(id); }
  var root = $('cashier');
  var form = $('payer-form');
  var shown = cfg.displayStatus;
  var sequence = 0;
  var deadline = Date.now() + cfg.secondsLeft * 1000;
  var pollTimer = null;
  var clockTimer = null;
  var stopped = false;

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(s) {
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
    return (h > 0 ? h + ':' + pad(m) : pad(m)) + ':' + pad(x);
  }
  function group(a) {
    var p = String(a).split('.');
    p[0] = p[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return p.join('.');
  }
  function fill(s, vars) { return s.replace(/\{(\w+)\}/g, function (w, k) { return vars[k] !== undefined ? vars[k] : w; }); }
  function show(el, on) { if (el) el.hidden = !on; }

  function render(next) {
    shown = next;
    var done = !!FINAL[next];
    root.setAttribute('data-status', next);
    $('status').className = 'status status-' + next;
    $('status-label').textContent = T['status.' + next] || next;
    $('status-message').textContent = T['message.' + next] || '';
    show(form, next === 'PENDING');
    show($('instructions'), !done);
    show($('countdown-box'), !done);
    var back = $('return');
    if (back) back.className = 'btn ' + (done ? 'primary' : 'secondary');
    if (done && clockTimer) { clearInterval(clockTimer); clockTimer = null; }
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var c = $('countdown');
    if (c) c.textContent = clock(left);
    if (left === 0 && shown === 'PENDING') render('EXPIRED');
  }

  function apply(d) {
    if (!d || typeof d.status !== 'string') return;
    if (typeof d.sequence === 'number') {
      if (d.sequence < sequence) return;
      sequence = d.sequence;
    }
    deadline = Date.now() + (d.seconds_left || 0) * 1000;
    var rec = $('received');
    if (rec) {
      var paid = !/^0+(\.0+)?$/.test(d.paid_amount) && d.paid_amount !== d.amount;
      rec.textContent = paid ? fill(T['page.received'], { paid: group(d.paid_amount), amount: group(d.amount), currency: d.currency }) : '';
      show(rec, paid);
    }
    var next = d.status === 'PENDING' && d.seconds_left === 0 ? 'EXPIRED' : d.status;
    if (next !== shown) render(next);
    if (FINAL[d.status]) stop();
    tick();
  }

  function stop() {
    stopped = true;
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
  }
  function schedule() { if (!stopped) pollTimer = setTimeout(poll, 2000); }
  function poll() {
    pollTimer = null;
    fetch(cfg.statusUrl, { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (r) {
        if (r.status === 404) { stop(); return null; }
        return r.ok ? r.json() : null;
      })
      .then(apply, function () {})
      .then(schedule, schedule);
  }

  function fieldError(field, message) {
    var box = root.querySelector('[data-field="' + field + '"]');
    var err = $('e-' + field);
    var input = $('f-' + field);
    if (box) box.classList.toggle('invalid', !!message);
    if (err) { err.textContent = message || ''; show(err, !!message); }
    if (input) { if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid'); }
  }
  function formError(message) {
    var el = $('form-error');
    if (el) { el.textContent = message || ''; show(el, !!message); }
  }
  function value(field) {
    var el = $('f-' + field);
    if (!el) return '';
    var v = String(el.value || '').trim();
    return field === 'payer_account' ? v.replace(/[\s-]/g, '') : v;
  }
  function check(field) {
    var v = value(field);
    if (!v) return T['error.required'];
    return RULES[field] && !RULES[field](v) ? T['hint.' + field] : null;
  }

  if (form) {
    form.noValidate = true;
    var button = $('submit');
    cfg.fields.forEach(function (f) {
      var el = $('f-' + f);
      if (el) el.addEventListener('change', function () { fieldError(f, check(f)); });
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      formError(null);
      var payload = {};
      var first = null;
      cfg.fields.forEach(function (f) {
        var problem = check(f);
        fieldError(f, problem);
        if (problem && !first) first = $('f-' + f);
        if (!problem) payload[f] = value(f);
      });
      if (first) { first.focus(); return; }
      button.disabled = true;
      button.textContent = T['form.submitting'];
      var done = function () { button.disabled = false; button.textContent = T['form.submit']; };
      fetch(cfg.submitUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(payload)
      })
        .then(function (r) {
          return r.json().then(function (b) { return { ok: r.ok, body: b }; }, function () { return { ok: false, body: null }; });
        })
        .then(function (res) {
          done();
          if (res.ok) { apply(res.body); return; }
          var err = (res.body && res.body.error) || {};
          var message = T['error.' + err.code] || T['error.UNKNOWN'];
          if (err.field && cfg.fields.indexOf(err.field) >= 0) {
            fieldError(err.field, value(err.field) ? T['hint.' + err.field] || message : T['error.required']);
            var input = $('f-' + err.field);
            if (input) input.focus();
          } else {
            formError(message);
          }
          if (err.code === 'INVALID_TRANSITION') { stopped = false; if (!pollTimer) poll(); }
        }, function () { done(); formError(T['error.NETWORK']); });
    });
  }

  if (navigator.clipboard) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (btn) {
      btn.hidden = false;
      btn.addEventListener('click', function () {
        navigator.clipboard.writeText(btn.getAttribute('data-copy')).then(function () {
          btn.textContent = T['instructions.copied'];
          setTimeout(function () { btn.textContent = T['instructions.copy']; }, 1500);
        }, function () {});
      });
    });
  }

  if (!FINAL[cfg.status]) {
    clockTimer = setInterval(tick, 1000);
    schedule();
  }
})();
