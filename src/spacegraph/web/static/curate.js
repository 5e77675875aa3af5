// Curator forms: a participant row or an edition field shows the page text it was read from; "Add a participant"
// adds a row (without script, each table already has two empty rows).
"use strict";

function showSpan(key) {
  document.querySelectorAll("mark.current").forEach((mark) => mark.classList.remove("current"));
  const mark = document.getElementById("span-" + key);
  if (mark) {
    mark.classList.add("current");
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
  }
}

function addRow(button) {
  const event = button.dataset.event;
  const count = document.querySelector(`input[name="${event}-rows"]`);
  const rows = button.closest("fieldset").querySelectorAll("tr.participant");
  const last = rows[rows.length - 1];
  const copy = last.cloneNode(true);
  const from = `${event}-p${Number(count.value) - 1}-`;
  const to = `${event}-p${count.value}-`;
  copy.querySelectorAll("[name], [id]").forEach((input) => {
    for (const attribute of ["name", "id"]) {
      const value = input.getAttribute(attribute);
      if (value) input.setAttribute(attribute, value.replace(from, to));
    }
    if (input.type === "checkbox") input.checked = false;
    else if (input.tagName === "INPUT" && input.type !== "hidden") input.value = "";
  });
  copy.querySelectorAll(".field-error, .match").forEach((node) => node.remove());
  last.after(copy);
  count.value = Number(count.value) + 1;
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.edition-form");
  if (form) {
    form.addEventListener("focusin", (event) => {
      const owner = event.target.closest("[data-span]");
      if (owner) showSpan(owner.dataset.span);
    });
  }
  document.querySelectorAll("button.add-row").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => addRow(button));
  });
});
