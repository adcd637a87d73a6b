/**
 * The `fetch` the Slack Web API client is given: its calls (a form-encoded POST with a small JSON
 * answer, one or more per message) go through node:http(s) on kept-alive connections
 * (`../keep-alive-http.ts`, shared with the Discord adapter's REST client).
 */
export { type KeepAliveFetch, keepAliveFetch } from '../keep-alive-http.js';
