import { test } from "node:test";
import assert from "node:assert/strict";
import { followUpAdvice } from "./verify-install.js";

test("a service not healthy after install points to status and doctor for its config, with sudo unless typed in a root shell", () => {
  // Under `sudo lifeguard install -c FILE`: the store is Lifeguard's user's, and FILE is not where a bare command looks.
  assert.equal(followUpAdvice(["-c", "/srv/bot/lifeguard.yaml"], false), "see `sudo lifeguard status -c /srv/bot/lifeguard.yaml` and `sudo lifeguard doctor -c /srv/bot/lifeguard.yaml`");
  assert.equal(followUpAdvice([], true), "see `lifeguard status` and `lifeguard doctor`");
});
