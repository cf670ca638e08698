import AdminHTTP
import ArgumentParser
import Foundation
import Provisioning
import StrowgerApp

/// `strowger firmware list|model|clear-model`: the phone loads in the data directory's `firmware/` folder, and the
/// load each phone model should run (docs/provisioning.md, "Firmware").
struct FirmwareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware",
        abstract: "List the phone loads in the firmware folder, and set the load of a phone model.",
        subcommands: [List.self, Model.self, ClearModel.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the loads in DATA/firmware and the devices that ask for a load that is not there.",
            discussion: """
                A load is present when a file named after it with a load extension (.loads, .sbn, .sb2, .sgn, .bin, \
                .zz) is at the top of the folder. A device asks for its own load (strowger device update NAME \
                --load …), else its model's (strowger firmware model MODEL --load …), else none (it keeps what it \
                runs). Reads the folder from --data-dir and the devices from the admin API.
                """
        )

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let directory = URL(fileURLWithPath: options.dataDirectory, isDirectory: true)
                .appendingPathComponent(FirmwareFolder.folderName, isDirectory: true)
            let listing = try FirmwareFolder.list(directory)
            let client = try options.client()
            let devices = try await client.get("/api/devices", as: [AdminAPI.Device].self)
            let models = try await client.phoneModels()
            let report = Report(directory: directory.path, listing: listing, devices: devices, models: models)
            if options.json { return try Output.json(report) }
            report.print()
        }
    }

    struct Model: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set what phones of a model get, e.g. strowger firmware model 7942 --load SCCP42.9-4-2SR3-1S.",
            discussion: """
                Every device of the model that names no load of its own is told to run --load (in its cnf.xml, and \
                in XMLDefault.cnf.xml for auto-registering phones of a model Strowger knows). --trust-list-digest \
                sha512 signs the model's trust lists with SHA-512 (only for firmware known to verify it; the default \
                is SHA-1, which every phone takes). Settings not given are cleared.
                """
        )

        @Argument(help: "The model, e.g. 7942 or \"Cisco 7942\".") var model: String
        @Option(name: .customLong("load"), help: "The load, e.g. SCCP42.9-4-2SR3-1S.") var load: String?
        @Option(name: .customLong("trust-list-digest"), help: "sha1 (the default) or sha512.")
        var trustListDigest: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let stored = try await options.client().setPhoneModel(
                model,
                AdminAPI.PhoneModelSettings(loadInformation: load, trustListDigest: trustListDigest)
            )
            if options.json { return try Output.json(stored) }
            Output.fields([
                ("Model", stored.model), ("Load", stored.loadInformation ?? "-"),
                ("Trust-list digest", stored.trustListDigest ?? "sha1 (default)"),
            ])
        }
    }

    struct ClearModel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear-model",
            abstract: "Forget a phone model's load and digest."
        )

        @Argument(help: "The model.") var model: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().deletePhoneModel(model)
            if !options.json { print("Removed the settings of model \(model).") }
        }
    }

    /// What `firmware list` prints.
    struct Report: Encodable {
        struct Load: Encodable {
            var name: String
            var files: [String]
            var bytes: Int
            /// The devices that ask for it.
            var devices: [String]
        }

        struct Missing: Encodable {
            var device: String
            var model: String
            var load: String
            /// `device` or `model`: where the load was named.
            var from: String
        }

        var folder: String
        var loads: [Load]
        var localeFolders: [String]
        var models: [AdminAPI.PhoneModel]
        var missing: [Missing]

        init(
            directory: String,
            listing: FirmwareFolder.Listing,
            devices: [AdminAPI.Device],
            models: [AdminAPI.PhoneModel]
        ) {
            self.folder = directory
            self.models = models
            self.localeFolders = listing.folders.map { "\($0.name) (\($0.files) files)" }
            var byLoad: [String: [String]] = [:]
            var missing: [Missing] = []
            let modelLoads = Dictionary(
                models.compactMap { model in model.loadInformation.map { (model.model.lowercased(), $0) } },
                uniquingKeysWith: { first, _ in first }
            )
            for device in devices {
                let model = (CiscoPhoneModel.named(device.model)?.name ?? device.model).lowercased()
                let (load, from): (String?, String) =
                    device.loadInformation.map { ($0, "device") } ?? (modelLoads[model], "model")
                guard let load else { continue }
                if listing.hasLoad(load) {
                    byLoad[load, default: []].append(device.name)
                } else {
                    missing.append(Missing(device: device.name, model: device.model, load: load, from: from))
                }
            }
            self.loads = listing.loads.map {
                Load(name: $0.name, files: $0.files, bytes: $0.bytes, devices: byLoad[$0.name] ?? [])
            }
            self.missing = missing
        }

        func print() {
            Swift.print("Firmware folder: \(self.folder)")
            Output.table(
                ["Load", "Files", "Size", "Devices"],
                self.loads.map {
                    [
                        $0.name, $0.files.joined(separator: ", "), String(format: "%.1f MB", Double($0.bytes) / 1e6),
                        "\($0.devices.count)",
                    ]
                },
                empty:
                    "No loads (put the files of a Cisco load, e.g. SCCP42.9-4-2SR3-1S.loads and its .sbn files, here)."
            )
            if !self.localeFolders.isEmpty {
                Swift.print("Locale and other folders: " + self.localeFolders.joined(separator: ", "))
            }
            if !self.models.isEmpty {
                Swift.print("")
                Output.table(
                    ["Model", "Load", "Trust-list digest"],
                    self.models.map { [$0.model, $0.loadInformation ?? "-", $0.trustListDigest ?? "sha1 (default)"] },
                    empty: ""
                )
            }
            Swift.print("")
            Output.table(
                ["Missing load", "Device", "Model", "Named by"],
                self.missing.map { [$0.load, $0.device, $0.model.isEmpty ? "-" : $0.model, $0.from] },
                empty: "Every device that names a load finds it here."
            )
        }
    }
}
