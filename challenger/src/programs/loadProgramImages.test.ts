import { join, resolve } from "node:path";
import { expect } from "chai";
import { loadProgramImages, ProgramImageError } from "./loadProgramImages.ts";

const examples = resolve(import.meta.dirname, "../../../guest/examples");

describe("loadProgramImages", () => {
  it("loads files and directories (searched for *.elf) and finds an image by its onchain root and entry", () => {
    const images = loadProgramImages(`${join(examples, "echo/echo.elf")}, ${examples}`);
    const names = images.list.map((p) => p.path.split("/").pop());
    expect(names).to.include.members(["echo.elf", "sha256.elf", "median.elf"]);
    // The same ELF given twice is kept once.
    expect(names.filter((n) => n === "echo.elf")).to.have.length(1);
    const echo = images.list.find((p) => p.path.endsWith("echo.elf"));
    expect(echo).to.not.equal(undefined);
    expect(
      images.find(
        echo?.programRoot.toUpperCase().replace("0X", "0x") as `0x${string}`,
        echo?.entry as number,
      ),
    ).to.equal(echo);
    expect(images.find(echo?.programRoot as `0x${string}`, (echo?.entry as number) + 4)).to.equal(undefined);
  });

  it("says which path does not exist", () => {
    expect(() => loadProgramImages("/nonexistent/prog.elf")).to.throw(ProgramImageError, /nonexistent/);
  });

  it("rejects a file that is not an ELF with the loader's typed error", () => {
    expect(() => loadProgramImages(resolve(import.meta.dirname, "loadProgramImages.ts"))).to.throw(
      /Not an ELF/,
    );
  });
});
