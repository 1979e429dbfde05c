; SPDX-License-Identifier: MIT
;
; lc_setup.nsh — the steps of loopcable.nsi that need more than one line: choosing the
; Drivers32 name, putting a driver DLL in place (or at the next start when it is in
; use), the default settings, the Add/Remove Programs entry, stopping the router.

; --- Drivers32 --------------------------------------------------------------------

; Pushes 1 if value name NAME (on the stack) is free in both registry views, or
; already ours ("loopcable.dll"); else 0.  A value of any other type counts as taken.
Function AliasFree
	Exch $0
	Push $1
	Push $2
	StrCpy $2 1
	!macro alias_free_in VIEW
		SetRegView ${VIEW}
		ClearErrors
		ReadRegStr $1 HKLM "${DRIVERS32_KEY}" $0
		${If} ${Errors}
			; Absent, or not a string: ReadRegDWORD tells them apart.
			ClearErrors
			ReadRegDWORD $1 HKLM "${DRIVERS32_KEY}" $0
			${IfNot} ${Errors}
				StrCpy $2 0
			${EndIf}
		${ElseIf} $1 != "${DRIVER_DLL}"
			StrCpy $2 0
		${EndIf}
	!macroend
	!insertmacro alias_free_in 64
	!insertmacro alias_free_in 32
	SetRegView 64
	StrCpy $0 $2
	Pop $2
	Pop $1
	Exch $0
FunctionEnd

; Sets $alias: the name an earlier install remembered if it is still ours or free,
; else the first free one of wave, wave1 … wave9; "" when all ten are taken.
Function ChooseAlias
	Push $0
	Push $1
	Push $2
	ReadRegStr $0 HKLM "${UNINST_KEY}" "DriverAlias"
	StrCpy $alias ""
	${If} $0 != ""
		Push $0
		Call AliasFree
		Pop $1
		${If} $1 == 1
			StrCpy $alias $0
		${EndIf}
	${EndIf}
	StrCpy $1 0
	${DoUntil} $alias != ""
		${If} $1 > 9
			${Break}
		${EndIf}
		${If} $1 == 0
			StrCpy $0 "wave"
		${Else}
			StrCpy $0 "wave$1"
		${EndIf}
		Push $0
		Call AliasFree
		Pop $2
		${If} $2 == 1
			StrCpy $alias $0
		${EndIf}
		IntOp $1 $1 + 1
	${Loop}
	Pop $2
	Pop $1
	Pop $0
FunctionEnd

; Keys the setup may have to create (a bare system has no 32-bit Drivers32 key and no
; registered applets): whether it did is remembered in the uninstall entry as MARK, and
; only then does the uninstaller delete the key, and only when it is empty.
; Whether the key exists is asked with RegOpenKeyEx itself (KEY_READ and the view's
; KEY_WOW64_ flag): EnumRegValue also fails on an existing key without values.
!macro remember_made_key VIEW KEY MARK
	!if ${VIEW} == 64
		System::Call 'advapi32::RegOpenKeyExW(p 0x80000002, w "${KEY}", i 0, i 0x20119, *p .r1) i .r0'
	!else
		System::Call 'advapi32::RegOpenKeyExW(p 0x80000002, w "${KEY}", i 0, i 0x20219, *p .r1) i .r0'
	!endif
	${If} $0 == 0
		System::Call 'advapi32::RegCloseKey(p r1)'
	${Else}
		WriteRegDWORD HKLM "${UNINST_KEY}" "${MARK}" 1
	${EndIf}
!macroend

!macro delete_made_key VIEW KEY MARK
	SetRegView 64
	ClearErrors
	ReadRegDWORD $0 HKLM "${UNINST_KEY}" "${MARK}"
	${If} $0 == 1
		SetRegView ${VIEW}
		DeleteRegKey /ifempty HKLM "${KEY}"
		SetRegView 64
	${EndIf}
!macroend

!macro WriteDrivers32 VIEW
	!insertmacro remember_made_key ${VIEW} "${DRIVERS32_KEY}" "MadeDrivers32Key${VIEW}"
	SetRegView ${VIEW}
	WriteRegStr HKLM "${DRIVERS32_KEY}" $alias "${DRIVER_DLL}"
	SetRegView 64
!macroend

; Removes the remembered value only while it still names our DLL.
!macro DeleteDrivers32 VIEW
	SetRegView ${VIEW}
	ClearErrors
	ReadRegStr $0 HKLM "${DRIVERS32_KEY}" $alias
	${IfNot} ${Errors}
	${AndIf} $0 == "${DRIVER_DLL}"
		DeleteRegValue HKLM "${DRIVERS32_KEY}" $alias
	${EndIf}
	!insertmacro delete_made_key ${VIEW} "${DRIVERS32_KEY}" "MadeDrivers32Key${VIEW}"
!macroend

; --- driver files -----------------------------------------------------------------

; Puts SOURCE (a file of the build) as DIR\loopcable.dll.  A DLL loaded by a running
; program cannot be deleted or overwritten: then the new file waits beside it and
; replaces it when Windows starts next (MoveFileEx's delay-until-reboot, NSIS's
; Rename /REBOOTOK), and $in_use says so.
!macro InstallDriver SOURCE DIR
	File "/oname=${DIR}\${DRIVER_DLL}.new" "${SOURCE}"
	ClearErrors
	Delete "${DIR}\${DRIVER_DLL}"
	${If} ${Errors}
		Rename /REBOOTOK "${DIR}\${DRIVER_DLL}.new" "${DIR}\${DRIVER_DLL}"
		StrCpy $in_use 1
	${Else}
		Rename "${DIR}\${DRIVER_DLL}.new" "${DIR}\${DRIVER_DLL}"
	${EndIf}
!macroend

!macro RemoveDriver PATH
	ClearErrors
	Delete "${PATH}"
	${If} ${Errors}
		Delete /REBOOTOK "${PATH}"
		StrCpy $in_use 1
	${EndIf}
!macroend

; --- settings and the uninstall entry ---------------------------------------------

; The driver's defaults (driver/drv_regkeys.h), each written only where no value is:
; an upgrade keeps what the user set.
!macro default_dword NAME VALUE
	ClearErrors
	ReadRegDWORD $0 HKLM "${LC_KEY}" "${NAME}"
	${If} ${Errors}
		WriteRegDWORD HKLM "${LC_KEY}" "${NAME}" ${VALUE}
	${EndIf}
!macroend

Function WriteDefaultSettings
	Push $0
	!insertmacro default_dword "Cables" 2
	!insertmacro default_dword "SampleRate" 48000
	!insertmacro default_dword "Channels" 2
	!insertmacro default_dword "RingMs" 250
	!insertmacro default_dword "Logging" 0
	!insertmacro default_dword "AllowLowIntegrity" 0
	Pop $0
FunctionEnd

Function WriteUninstallEntry
	Push $0
	Push $1
	Push $2
	WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "LoopCable"
	WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
	WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\bin\loopcable-panel.exe,0"
	WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
	WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
	WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
	WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
	; Ours, for the uninstaller and the next upgrade: the Drivers32 name in use.
	WriteRegStr HKLM "${UNINST_KEY}" "DriverAlias" $alias
	; In KB, the folder and both driver DLLs.
	${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
	IntOp $0 $0 + 600
	WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
	Pop $2
	Pop $1
	Pop $0
FunctionEnd

; --- the router ---------------------------------------------------------------------

; Asks this session's router to end (WM_CLOSE to its window, panel/router/lc_router.c)
; and waits up to 5 s for it, so its files can be replaced or removed.
!macro stop_router_function PREFIX
	Function ${PREFIX}StopRouter
		Push $0
		Push $1
		StrCpy $1 0
		${Do}
			FindWindow $0 "LoopCableRouter"
			${If} $0 == 0
				${Break}
			${EndIf}
			${If} $1 == 0
				DetailPrint "Stopping the LoopCable router"
			${EndIf}
			SendMessage $0 ${WM_CLOSE} 0 0 /TIMEOUT=2000
			Sleep 100
			IntOp $1 $1 + 1
		${LoopUntil} $1 >= 50
		Pop $1
		Pop $0
	FunctionEnd
!macroend
!insertmacro stop_router_function ""
!insertmacro stop_router_function "un."
