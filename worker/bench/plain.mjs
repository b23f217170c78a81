// A plain JavaScript worker answering a fixed JSON body: the baseline of
// the worker benchmark.
const body = JSON.stringify({ status: "ok", api: "v1" }) + "\n";

export default {
  async fetch(req) {
    await req.arrayBuffer(); // read the body, as the Go workers do
    return new Response(body, { headers: { "content-type": "application/json; charset=utf-8" } });
  },
};
