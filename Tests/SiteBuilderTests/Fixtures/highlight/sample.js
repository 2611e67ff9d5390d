// Fetch statuses.
const response = await fetch(`/v1/connect/requirements/status?x=${encodeURIComponent(id)}`, {
  method: "GET", /* inline */ headers: { Authorization: 'Bearer ' + token },
});
if (response.status === 401 && typeof data !== "undefined") throw new Error("expired: " + 42);
