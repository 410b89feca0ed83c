// The workbook worker (docs/importing.md, "Workbooks"): runs the workbook
// module off the page's thread. The page posts { id, call, args }, naming
// one of the module's exported functions; the answer comes back as
// { id, answer }, a table's rows before it as { id, part }. A sentence the
// module threw comes back as { id, refused }; anything else that went
// wrong as { id, failed }, after which the page starts a new worker.
// scripts/build-workbook copies this file beside the module.
import init, * as roster from "./roster_workbook.js";

const ready = init();
ready.catch(() => {}); // reported by each call, which awaits it
const CALLS = ["open_workbook", "sheet_table", "template_workbook", "error_log_workbook"];

self.onmessage = async ({ data: { id, call, args } }) => {
  try {
    await ready;
    if (!CALLS.includes(call)) throw new Error(`no call ${call}`);
    const sendRows = (part) => self.postMessage({ id, part });
    const answer = roster[call](...args, ...(call === "sheet_table" ? [sendRows] : []));
    // A workbook's bytes are handed over, not copied.
    self.postMessage({ id, answer }, answer instanceof Uint8Array ? [answer.buffer] : []);
  } catch (error) {
    if (typeof error === "string") self.postMessage({ id, refused: error });
    else self.postMessage({ id, failed: String(error?.stack ?? error) });
  }
};
