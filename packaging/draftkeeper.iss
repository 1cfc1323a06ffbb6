; Inno Setup script: a Windows installer for the one-folder program that
; `pyinstaller packaging\draftkeeper.spec` builds into dist\draftkeeper.
;   iscc /DAppVersion=0.1.0 /DNumericVersion=0.1.0 packaging\draftkeeper.iss
; writes out\draftkeeper-0.1.0-windows-x64-setup.exe (.github/workflows/release.yml does
; this on every tag). Paths below are relative to this file's folder.
;
; It installs for the current user without asking for administrator rights (the dialog
; offers all users too), adds a Start menu entry (and a desktop one if asked), and
; uninstalls cleanly. The drafts' versions, settings and log live in
; %LOCALAPPDATA%\draftkeeper and are kept on uninstall: they are the user's data.

#ifndef AppVersion
  #define AppVersion "0.0.0-local"
#endif
#ifndef NumericVersion
  #define NumericVersion "0.0.0"
#endif

[Setup]
; the same AppId in every release, so that a new one updates the installed one
AppId={{109890A8-2AD9-42BB-A51D-524F9E538E2A}
AppName=Draft Keeper
AppVersion={#AppVersion}
AppVerName=Draft Keeper {#AppVersion}
AppPublisher=Draft Keeper
VersionInfoVersion={#NumericVersion}
DefaultDirName={autopf}\Draft Keeper
DefaultGroupName=Draft Keeper
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\draftkeeper.exe
UninstallDisplayName=Draft Keeper
; a running Draft Keeper holds its files: Setup offers to close it first
CloseApplications=yes
OutputDir=..\out
OutputBaseFilename=draftkeeper-{#AppVersion}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\draftkeeper\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; files of an older release that this one no longer has (PyInstaller's _internal folder)
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\Draft Keeper"; Filename: "{app}\draftkeeper.exe"
Name: "{autodesktop}\Draft Keeper"; Filename: "{app}\draftkeeper.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\draftkeeper.exe"; Description: "{cm:LaunchProgram,Draft Keeper}"; Flags: nowait postinstall skipifsilent
