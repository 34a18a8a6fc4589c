// @mention autocomplete for comment boxes: <textarea data-mention-url="..."> followed by an
// empty <ul class="mention-list" role="listbox">. Typing "@ma" asks the server for people who
// may see the item; choosing one inserts "@handle ". Reply links fill the form's parent field.
(function () {
  "use strict";
  var timer = null;
  function openMention(area) {
    var before = area.value.slice(0, area.selectionStart);
    var match = /(?:^|\s)@([\w.+-]*)$/.exec(before);
    return match ? match[1] : null;
  }
  function listFor(area) {
    return area.parentElement.querySelector(".mention-list");
  }
  function close(list) {
    list.hidden = true;
    list.textContent = "";
  }
  function choose(area, handle) {
    var caret = area.selectionStart;
    var before = area.value.slice(0, caret).replace(/@([\w.+-]*)$/, "@" + handle + " ");
    area.value = before + area.value.slice(caret);
    area.focus();
    area.setSelectionRange(before.length, before.length);
    close(listFor(area));
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function show(area, people) {
    var list = listFor(area);
    list.textContent = "";
    people.forEach(function (p) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "option");
      button.className = "mention-option";
      button.dataset.handle = p.handle;
      button.textContent = p.name + " (@" + p.handle + ")";
      item.appendChild(button);
      list.appendChild(item);
    });
    list.hidden = people.length === 0;
  }
  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.dataset.mentionUrl) { return; }
    var query = openMention(area);
    if (query === null) { close(listFor(area)); return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(area.dataset.mentionUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { people: [] }; })
        .then(function (data) { show(area, data.people); });
    }, 200);
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest(".mention-option");
    if (option) {
      var area = option.closest(".mention-field").querySelector("textarea");
      choose(area, option.dataset.handle);
      return;
    }
    var reply = event.target.closest && event.target.closest("[data-reply]");
    if (reply) {
      var form = reply.closest(".comments").querySelector(".comment-form");
      if (!form) { return; }
      event.preventDefault();
      form.querySelector("input[name=parent]").value = reply.dataset.reply;
      var note = form.querySelector("[data-replying]");
      note.textContent = "Replying to " + reply.dataset.replyName;
      note.hidden = false;
      form.querySelector("textarea").focus();
    }
  });
})();
