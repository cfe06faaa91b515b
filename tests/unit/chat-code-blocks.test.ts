import { describe, expect, it } from "vitest";
import { containsCodeBlock } from "@/lib/chat/ui/code-blocks";

describe("containsCodeBlock", () => {
  it("finds fenced blocks, open or closed, with backticks or tildes", () => {
    expect(containsCodeBlock("Here:\n\n```js\nconsole.log(1)\n```")).toBe(true);
    expect(containsCodeBlock("Streaming:\n```py\nprint(")).toBe(true);
    expect(containsCodeBlock("~~~\nx\n~~~")).toBe(true);
    expect(containsCodeBlock("   ```\nindented up to three spaces\n```")).toBe(true);
  });

  it("ignores inline code and fences that are not at a line start", () => {
    expect(containsCodeBlock("Use `npm test` here")).toBe(false);
    expect(containsCodeBlock("a ``` in the middle of a line")).toBe(false);
    expect(containsCodeBlock("    ```\nfour spaces: an indented code line, no fence")).toBe(false);
    expect(containsCodeBlock("no code at all")).toBe(false);
  });
});
