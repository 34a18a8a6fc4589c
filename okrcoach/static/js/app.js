// Small behaviours wired by data- attributes (no inline script: the CSP forbids it).
(function () {
  "use strict";
  // Forms that ask before a destructive action: <form data-confirm="Really?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
  // Forms whose request takes a while (an import): <form data-busy> disables its submit button
  // and shows its [data-busy-message] once it is sent, so a second click sends nothing twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy") || event.defaultPrevented) { return; }
    var message = form.querySelector("[data-busy-message]");
    if (message) { message.hidden = false; }
    // After this tick: a button disabled during the submit event would leave the form unsent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    }, 0);
  });
  // htmx requests driven by a <form data-confirm> go through the same question.
  // "Show N more" (<a data-show-more hx-swap="outerHTML">) replaces its own row with the next
  // rows: keyboard focus moves to the first of them instead of falling back to the page's top.
  var showMore = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var el = event.detail.requestConfig && event.detail.requestConfig.elt;
    var row = el && el.dataset && el.dataset.showMore !== undefined ? el.closest("li") : null;
    showMore = row && row.parentElement
      ? { list: row.parentElement, index: Array.prototype.indexOf.call(row.parentElement.children, row) }
      : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!showMore) { return; }
    var first = showMore.list.children[showMore.index];
    var link = first && first.querySelector("a[href]");
    showMore = null;
    if (link) { link.focus(); }
  });
  document.addEventListener("htmx:confirm", function (event) {
    var el = event.detail.elt;
    if (el && el.dataset && el.dataset.confirm) {
      event.preventDefault();
      if (window.confirm(el.dataset.confirm)) { event.detail.issueRequest(true); }
    }
  });
  // Organisation switcher: a plain form that navigates on change; the button stays for no-JS use.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.dataset.navigate !== undefined && el.value) {
      window.location.assign(el.value);
    }
  });
  // Copy buttons: <button data-copy="#id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.dataset.copy);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.copied || "Copied";
      });
    }
  });
  // A form whose radio group picks which part applies: <div data-choice-for="audience"
  // data-choice-value="people"> shows only while the "audience" radio "people" is checked.
  // Without JavaScript every part shows (each says when it applies).
  function syncChoices(form) {
    form.querySelectorAll("[data-choice-for]").forEach(function (panel) {
      var checked = form.querySelector('input[type="radio"][name="' + panel.dataset.choiceFor + '"]:checked');
      panel.hidden = !checked || checked.value !== panel.dataset.choiceValue;
    });
  }
  document.querySelectorAll("form[data-choice-form]").forEach(syncChoices);
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.dataset.choiceForm !== undefined && event.target.type === "radio") { syncChoices(form); }
  });
  // A search box that narrows a long checkbox list: <input data-filter-list="#list" hidden>
  // (hidden without JavaScript, where the whole list shows). Ticked boxes always stay visible.
  document.querySelectorAll("input[data-filter-list]").forEach(function (input) {
    var list = document.querySelector(input.dataset.filterList);
    var count = input.dataset.filterCount ? document.querySelector(input.dataset.filterCount) : null;
    if (!list) { return; }
    input.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      var shown = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var box = item.querySelector("input");
        var match = !words || item.textContent.toLowerCase().indexOf(words) !== -1 || (box && box.checked);
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (count) { count.textContent = words ? shown + " / " + list.children.length : ""; }
    });
  });
  // Phone navigation: the menu button (hidden without JS, where the list simply shows) opens and
  // closes the main navigation; Escape closes it and gives focus back to the button.
  function setNav(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    if (nav) { nav.classList.toggle("is-open", open); }
  }
  var navToggle = document.querySelector(".nav-toggle");
  if (navToggle) {
    navToggle.hidden = false;
    document.documentElement.classList.add("has-nav-toggle");
    navToggle.addEventListener("click", function () {
      setNav(navToggle, navToggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && navToggle.getAttribute("aria-expanded") === "true") {
        setNav(navToggle, false);
        navToggle.focus();
      }
    });
  }
  // Tree toggles (<a data-hide-label hx-get>): the first click loads the children, and the link
  // then reads "Hide …"; later clicks hide and show them again without asking the server.
  document.addEventListener("htmx:afterSwap", function (event) {
    var el = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (el && el.dataset && el.dataset.hideLabel) {
      el.dataset.showLabel = el.textContent;
      el.dataset.loaded = "1";
      el.textContent = el.dataset.hideLabel;
      el.setAttribute("aria-expanded", "true");
    }
  });
  document.addEventListener("htmx:confirm", function (event) {
    var el = event.detail.elt;
    if (!el || !el.dataset || !el.dataset.loaded) { return; }
    event.preventDefault();
    var target = document.getElementById(el.getAttribute("aria-controls"));
    var open = el.getAttribute("aria-expanded") === "true";
    if (target) { target.hidden = open; }
    el.setAttribute("aria-expanded", open ? "false" : "true");
    el.textContent = open ? el.dataset.showLabel : el.dataset.hideLabel;
  });
  // A table too wide for the window scrolls inside its .table-wrap: make that region reachable
  // and named for keyboard users (on load and after every htmx swap).
  function labelScrollableTables(root) {
    root.querySelectorAll(".table-wrap, .lesson table").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      }
    });
  }
  labelScrollableTables(document);
  document.addEventListener("htmx:load", function (event) { labelScrollableTables(event.detail.elt.parentNode || document); });
})();
