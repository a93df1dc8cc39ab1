// The BankID page: when the signer leaves it while the order runs, cancel the order at BankID
// (navigator.sendBeacon, with the CSRF token and the orderRef of the order shown). The page
// works without this: an order that is not cancelled runs out at BankID by itself.
window.addEventListener("pagehide", () => {
  const poll = document.getElementById("bankid-poll");
  const form = document.getElementById("bankid-cancel");
  if (!poll || !form || !["qr", "waiting"].includes(poll.dataset.state)) {
    return;
  }
  const data = new FormData(form);
  data.set("order_ref", poll.dataset.order || "");
  data.set("beacon", "1");
  navigator.sendBeacon(form.dataset.cancelUrl, data);
});
