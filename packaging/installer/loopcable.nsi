; SPDX-License-Identifier: MIT
;
; loopcable.nsi — LoopCable's setup for 64-bit Windows 10 and 11 (docs/installer.md says
; what it does and why).  Built by make-setup.sh, which lays the files out in STAGE and
; passes:  -DVERSION=x.y.z  -DVERSION4=x.y.z.w  -DSTAGE=dir  -DOUTFILE=path
;
; Command line:  /S (silent)  /D=folder (install folder, last argument)
; Uninstaller:   uninstall.exe [/S] [/KEEPSETTINGS]
;
; WOW64: this is a 64-bit program (Target amd64-unicode), so it sees System32 and the
; 64-bit registry natively.  It still names every view and folder explicitly
; (SetRegView 64/32, $WINDIR\System32 and $WINDIR\SysWOW64 with file system redirection
; off), so that the same script stays right if it is built with a 32-bit stub.

!macro need_define NAME
	!ifndef ${NAME}
		!error "${NAME} is not defined: build with packaging/installer/make-setup.sh"
	!endif
!macroend
!insertmacro need_define VERSION
!insertmacro need_define VERSION4
!insertmacro need_define STAGE
!insertmacro need_define OUTFILE

!define PUBLISHER "The LoopCable authors"
!define LC_KEY "Software\LoopCable"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\LoopCable"
!define DRIVERS32_KEY "Software\Microsoft\Windows NT\CurrentVersion\Drivers32"
!define CPLS_KEY "Software\Microsoft\Windows\CurrentVersion\Control Panel\Cpls"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define DRIVER_DLL "loopcable.dll"

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
ManifestSupportedOS all
RequestExecutionLevel admin

!include LogicLib.nsh
!include x64.nsh
!include WinVer.nsh
!include FileFunc.nsh
!include WinMessages.nsh

Name "LoopCable ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\LoopCable"
; An upgrade goes where the installed version is (a /D= on the command line wins).
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
LicenseData "${STAGE}\app\licence.txt"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION4}"
VIAddVersionKey "ProductName" "LoopCable"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "LoopCable ${VERSION} setup"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "MIT License, ${PUBLISHER}"

Page license
Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Var alias        ; the Drivers32 value name this install uses (wave, wave1 … wave9)
Var in_use       ; 1: a driver DLL was in use and is replaced at the next start

!include "lc_setup.nsh"

Function .onInit
	SetRegView 64
	${IfNot} ${RunningX64}
		MessageBox MB_ICONSTOP "This LoopCable setup is for 64-bit Windows. \
			This Windows is 32-bit." /SD IDOK
		SetErrorLevel 2
		Quit
	${EndIf}
	${IfNot} ${AtLeastWin10}
		MessageBox MB_ICONSTOP "LoopCable needs Windows 10 or later." /SD IDOK
		SetErrorLevel 2
		Quit
	${EndIf}
FunctionEnd

Section "LoopCable" sec_main
	SectionIn RO
	SetRegView 64
	SetShellVarContext all
	StrCpy $in_use 0
	Call ChooseAlias
	${If} $alias == ""
		MessageBox MB_ICONSTOP "Windows has no free wave driver name left \
			(wave, wave1 … wave9 are all taken by other drivers)." /SD IDOK
		SetErrorLevel 2
		Abort
	${EndIf}
	DetailPrint "Drivers32 name: $alias"

	; An upgrade: the running router holds its files; it is started again below.
	Call StopRouter

	!include "${STAGE}\files.nsh"
	WriteUninstaller "$INSTDIR\uninstall.exe"

	; The drivers: same file name, one per bitness (winmm loads "loopcable.dll" from
	; the system folder of the caller's bitness).
	${DisableX64FSRedirection}
	!insertmacro InstallDriver "${STAGE}\x64\loopcable.dll" "$WINDIR\System32"
	!insertmacro InstallDriver "${STAGE}\x86\loopcable.dll" "$WINDIR\SysWOW64"
	${EnableX64FSRedirection}
	${If} $in_use == 1
		SetRebootFlag true
		DetailPrint "loopcable.dll is in use: it is replaced when Windows starts next."
		MessageBox MB_ICONINFORMATION "A program is using LoopCable's driver. \
			The new driver is put in place when Windows starts next; restart \
			Windows, then the programs that use LoopCable." /SD IDOK
	${EndIf}

	!insertmacro WriteDrivers32 64
	!insertmacro WriteDrivers32 32
	nsExec::ExecToLog '"$INSTDIR\bin\lc_devnode.exe" add $alias loopcable.dll "LoopCable"'
	Pop $0
	DetailPrint "device node: lc_devnode exit $0"

	Call WriteDefaultSettings
	WriteRegStr HKLM "${LC_KEY}" "PanelPath" "$INSTDIR\bin\loopcable-panel.exe"
	!insertmacro remember_made_key 64 "${CPLS_KEY}" "MadeCplsKey"
	WriteRegStr HKLM "${CPLS_KEY}" "LoopCable" "$INSTDIR\bin\loopcable.cpl"
	WriteRegStr HKLM "${RUN_KEY}" "LoopCable Router" '"$INSTDIR\bin\loopcable-panel.exe" --start-router'

	CreateDirectory "$SMPROGRAMS\LoopCable"
	CreateShortcut "$SMPROGRAMS\LoopCable\LoopCable.lnk" "$INSTDIR\bin\loopcable-panel.exe"
	CreateShortcut "$SMPROGRAMS\LoopCable\LoopCable readme.lnk" "$INSTDIR\readme.txt"

	Call WriteUninstallEntry
	; The router for this session now; later sessions start it from the Run key.
	Exec '"$INSTDIR\bin\loopcable-panel.exe" --start-router'
SectionEnd

Function un.onInit
	SetRegView 64
FunctionEnd

Section "Uninstall"
	SetRegView 64
	SetShellVarContext all
	StrCpy $in_use 0
	Call un.StopRouter
	DeleteRegValue HKLM "${RUN_KEY}" "LoopCable Router"
	DeleteRegValue HKLM "${CPLS_KEY}" "LoopCable"
	!insertmacro delete_made_key 64 "${CPLS_KEY}" "MadeCplsKey"

	; The device node and Drivers32 values first, while lc_devnode.exe is still there.
	nsExec::ExecToLog '"$INSTDIR\bin\lc_devnode.exe" remove'
	Pop $0
	DetailPrint "device node: lc_devnode exit $0"
	ReadRegStr $alias HKLM "${UNINST_KEY}" "DriverAlias"
	${If} $alias != ""
		!insertmacro DeleteDrivers32 64
		!insertmacro DeleteDrivers32 32
	${EndIf}

	${DisableX64FSRedirection}
	!insertmacro RemoveDriver "$WINDIR\System32\loopcable.dll"
	!insertmacro RemoveDriver "$WINDIR\SysWOW64\loopcable.dll"
	${EnableX64FSRedirection}

	Delete "$SMPROGRAMS\LoopCable\LoopCable.lnk"
	Delete "$SMPROGRAMS\LoopCable\LoopCable readme.lnk"
	RMDir "$SMPROGRAMS\LoopCable"

	!include "${STAGE}\unfiles.nsh"
	Delete "$INSTDIR\uninstall.exe"
	RMDir /REBOOTOK "$INSTDIR"

	DeleteRegValue HKLM "${LC_KEY}" "PanelPath"
	${GetParameters} $0
	ClearErrors
	${GetOptions} $0 "/KEEPSETTINGS" $1
	${If} ${Errors}
		DeleteRegKey HKLM "${LC_KEY}"
		; The settings of the user who uninstalls: routes, the panel's view, the log.
		SetShellVarContext current
		DeleteRegKey HKCU "${LC_KEY}"
		Delete "$LOCALAPPDATA\LoopCable\driver.log"
		RMDir "$LOCALAPPDATA\LoopCable"
		SetShellVarContext all
	${Else}
		DetailPrint "/KEEPSETTINGS: HKLM\${LC_KEY} and HKCU\${LC_KEY} kept"
		DeleteRegKey /ifempty HKLM "${LC_KEY}"
	${EndIf}
	DeleteRegKey HKLM "${UNINST_KEY}"
	${If} $in_use == 1
		SetRebootFlag true
		DetailPrint "loopcable.dll is in use: it is deleted when Windows starts next."
	${EndIf}
SectionEnd
