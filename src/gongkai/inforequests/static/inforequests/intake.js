// The intake form: show only the date field the chosen channel's Art. 31 rule needs; without JS all fields
// stay visible.
(function () {
  var signed = document.getElementById("field-signed_on"), confirmed = document.getElementById("field-confirmed_on");
  if (!signed || !confirmed) return;
  var rules = document.querySelectorAll("#channel-rule [data-channel]");
  function update() {
    var checked = document.querySelector("input[name=channel]:checked"), ch = checked ? checked.value : "";
    signed.hidden = ch !== "registered_post";
    confirmed.hidden = !(ch === "plain_letter" || ch === "online" || ch === "fax");
    rules.forEach(function (p) { p.hidden = ch !== "" && p.dataset.channel !== ch; });
  }
  document.querySelectorAll("input[name=channel]").forEach(function (r) { r.addEventListener("change", update); });
  update();
})();
