// The Deluge extension: starts `deluge-lite lsp` as the language server, registers the
// `deluge-lite dap` debug adapter, and adds the commands Run file, Run in sandbox and
// Check project (each runs deluge-lite in a terminal so its output and exit code show).
import * as path from "path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function command(): string[] {
  const configured = vscode.workspace.getConfiguration("deluge").get<string[]>("command");
  return configured && configured.length > 0 ? configured : ["deluge-lite"];
}

function startClient(context: vscode.ExtensionContext): void {
  const [program, ...prefix] = command();
  const serverOptions: ServerOptions = {
    command: program,
    args: [...prefix, "lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "deluge" },
      { scheme: "untitled", language: "deluge" },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.dg,deluge.toml}"),
    },
  };
  client = new LanguageClient("deluge", "Deluge (deluge-lite)", serverOptions, clientOptions);
  client.start().catch((error: unknown) => {
    void vscode.window.showErrorMessage(
      `Could not start '${program} lsp' (${String(error)}). Install deluge-lite with ` +
        "`pip install 'deluge-lite[lsp]'` or set deluge.command."
    );
  });
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

function quote(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

function runInTerminal(name: string, args: string[]): void {
  const terminal = vscode.window.createTerminal({ name });
  terminal.show();
  terminal.sendText([...command(), ...args].map(quote).join(" "));
}

function activeScript(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "deluge") {
    void vscode.window.showWarningMessage("Open a Deluge (.dg) file first.");
    return undefined;
  }
  if (editor.document.isUntitled) {
    void vscode.window.showWarningMessage("Save the script to a .dg file first.");
    return undefined;
  }
  return editor.document.fileName;
}

class DapFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const [program, ...prefix] = command();
    return new vscode.DebugAdapterExecutable(program, [...prefix, "dap"]);
  }
}

export function activate(context: vscode.ExtensionContext): void {
  startClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand("deluge.runFile", async () => {
      const script = activeScript();
      if (script) {
        await vscode.window.activeTextEditor?.document.save();
        runInTerminal("Deluge: run", ["run", script]);
      }
    }),
    vscode.commands.registerCommand("deluge.runInSandbox", async () => {
      const script = activeScript();
      if (script) {
        await vscode.window.activeTextEditor?.document.save();
        runInTerminal("Deluge: sandbox", ["run", "--sandbox", script]);
      }
    }),
    vscode.commands.registerCommand("deluge.checkProject", () => {
      const folder =
        vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ??
        (vscode.window.activeTextEditor ? path.dirname(vscode.window.activeTextEditor.document.fileName) : undefined);
      if (!folder) {
        void vscode.window.showWarningMessage("Open a folder with Deluge scripts first.");
        return;
      }
      runInTerminal("Deluge: check", ["check", folder]);
    }),
    vscode.commands.registerCommand("deluge.restartServer", async () => {
      await client?.stop();
      startClient(context);
    }),
    vscode.debug.registerDebugAdapterDescriptorFactory("deluge", new DapFactory())
  );
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
