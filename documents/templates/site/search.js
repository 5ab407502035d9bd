// Filter the listed results by party or document number as the visitor types.
(function () {
  var input = document.getElementById("q");
  if (!input) { return; }
  var rows = document.querySelectorAll("li.result");
  input.addEventListener("input", function () {
    var q = input.value.trim();
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].getAttribute("data-search") || "";
      rows[i].style.display = !q || text.indexOf(q) !== -1 ? "" : "none";
    }
  });
})();
