; Inno Setup script for AM Desktop on Windows. Build the bundle first, on Windows:
;   .venv\Scripts\python packaging\build.py
; then compile this script (Inno Setup 6):
;   iscc /DVersion=0.1.0 packaging\windows\am-desktop.iss
; The installer is written to packaging\build\dist\am-desktop-<version>-windows-setup.exe.

#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{6E1B7C3A-2F4D-4E8B-9B1A-AD5C0D7E9F21}
AppName=AM Desktop
AppVersion={#Version}
AppPublisher=AM Desktop
DefaultDirName={autopf}\AM Desktop
DefaultGroupName=AM Desktop
; Per-user install by default: account managers rarely have administrator rights.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\build\dist
OutputBaseFilename=am-desktop-{#Version}-windows-setup
SetupIconFile=..\build\icons\am-desktop.ico
UninstallDisplayIcon={app}\am-desktop.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\build\dist\am-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\AM Desktop"; Filename: "{app}\am-desktop.exe"
Name: "{group}\Uninstall AM Desktop"; Filename: "{uninstallexe}"
Name: "{autodesktop}\AM Desktop"; Filename: "{app}\am-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\am-desktop.exe"; Description: "{cm:LaunchProgram,AM Desktop}"; Flags: nowait postinstall skipifsilent
