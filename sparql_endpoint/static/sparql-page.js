// Progressive enhancement of the SPARQL query page. Without JavaScript the page is a
// plain form; with it, the textarea becomes the YASQE editor (syntax highlighting,
// bracket matching, completion of the query's own variables). The form still submits
// the query, so results, errors and download links stay server-rendered.
(function () {
  "use strict";
  var textarea = document.getElementById("query");
  if (!textarea || !window.Yasgui || !window.Yasgui.Yasqe) {
    return;
  }
  var form = textarea.form;
  var holder = document.createElement("div");
  holder.className = "yasqe-holder";
  textarea.parentNode.insertBefore(holder, textarea);
  textarea.hidden = true;
  var yasqe = new window.Yasgui.Yasqe(holder, {
    value: textarea.value,
    // The "prefixes", "class" and "property" completers call prefix.cc and LOV:
    // this page talks to no other site.
    autocompleters: ["variables"],
    showQueryButton: false,
    persistenceId: null,
    resizeable: true,
    editorHeight: "22rem"
  });
  // The endpoint predeclares our prefixes; write the ones the query uses into it, so
  // that the editor (which checks prefixes) and anyone copying the query agree.
  var known = JSON.parse(textarea.getAttribute("data-prefixes") || "{}");
  var missing = {};
  var text = yasqe.getValue();
  Object.keys(known).forEach(function (name) {
    var used = new RegExp("(^|[^\\w:<#?$-])" + name + ":", "m").test(text);
    var declared = new RegExp("PREFIX\\s+" + name + ":", "i").test(text);
    if (used && !declared) {
      missing[name] = known[name];
    }
  });
  if (Object.keys(missing).length && typeof yasqe.addPrefixes === "function") {
    yasqe.addPrefixes(missing);
  }
  var submit = function () {
    textarea.value = yasqe.getValue();
    form.submit();
  };
  yasqe.addKeyMap({ "Ctrl-Enter": submit, "Cmd-Enter": submit });
  form.addEventListener("submit", function () {
    textarea.value = yasqe.getValue();
  });
  document.documentElement.classList.add("has-yasqe");
})();
