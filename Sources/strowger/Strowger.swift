import ArgumentParser
import StrowgerApp

@main
struct Strowger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strowger",
        abstract: "A call-processing and presence server for Cisco SCCP (Skinny) IP phones.",
        version: StrowgerVersion.current,
        subcommands: [
            Serve.self, Show.self, DeviceCommand.self, LineCommand.self, UserCommand.self, SpeedDialCommand.self,
            RouteCommand.self, CallManagerGroupCommand.self, ImportCommand.self, CDRCommand.self,
            SimulateCommand.self, CertCommand.self, PresenceCommand.self, SettingsCommand.self, TrunkCommand.self,
            MusicOnHoldCommand.self, MeetMeCommand.self,
            HuntCommand.self, PickupCommand.self, ParkCommand.self, BackupCommand.self, RestoreCommand.self,
            CTLCommand.self, FirmwareCommand.self, AdminCommand.self, ExportCommand.self, SoftkeysCommand.self,
            NodeCommand.self, ClusterCommand.self,
        ]
    )
}
