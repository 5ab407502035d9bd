// Filter the listed results as the visitor types (or arrives with ?q=): by party, decision
// number, credit code or case id. Brackets of any kind (〔〕()（）[]【】), spaces and letter case
// do not matter, so 铁审罚(2026)1号, 铁审罚[2026]1号 and 铁审罚20261号 all find 铁审罚〔2026〕1号.
(function () {
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  if (!input) { return; }
  var rows = document.querySelectorAll("li.result");
  var strip = /[\s〔〕()（）\[\]【】［］]/g;
  function norm(text) { return (text || "").replace(strip, "").toUpperCase(); }
  var keys = [];
  for (var i = 0; i < rows.length; i++) { keys.push(norm(rows[i].getAttribute("data-search"))); }
  function filter() {
    var q = norm(input.value), shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = !q || keys[i].indexOf(q) !== -1;
      rows[i].hidden = !hit;
      if (hit) { shown++; }
    }
    if (!status) { return; }
    if (!q) {
      status.textContent = "共 " + rows.length + " 条执法结果。";
    } else if (shown === 0) {
      status.textContent = "未找到与“" + input.value.trim() + "”相符的执法结果。请核对当事人名称、决定文号、统一社会信用代码或案号。";
    } else {
      status.textContent = "找到 " + shown + " 条与“" + input.value.trim() + "”相符的执法结果。";
    }
  }
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; }
  input.addEventListener("input", filter);
  document.querySelector("form.search").addEventListener("submit", function (e) { e.preventDefault(); filter(); });
  filter();
})();
