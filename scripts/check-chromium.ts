// Playwright cannot download browsers here: e2e tests use Debian's Chromium. Fail loudly, never skip.
import { chromiumPath } from "../e2e/chromium";

const found = chromiumPath();
if (!found) {
  console.error(
    "e2e: no Chromium found. Install Debian's package (as root: apt-get update && apt-get install -y chromium)\n" +
      "or set CHROMIUM_PATH to a Chromium binary.",
  );
  process.exit(1);
}
console.log(`e2e: using Chromium at ${found}`);
