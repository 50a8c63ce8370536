//! The C API of SANE (`sane/sane.h`, standard version 1), declared by hand: a dozen functions
//! and four structures. Enumerations are plain `c_int`s so that a value a backend invents can
//! never be undefined behaviour on the Rust side.

#![allow(non_camel_case_types, missing_docs)]
// Declaring foreign functions is unsafe by nature; every call site says why it is sound.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void};

pub type SANE_Word = c_int;
pub type SANE_Int = SANE_Word;
pub type SANE_Status = c_int;
pub type SANE_Handle = *mut c_void;

pub const STATUS_GOOD: SANE_Status = 0;
pub const STATUS_CANCELLED: SANE_Status = 2;
pub const STATUS_EOF: SANE_Status = 5;
pub const STATUS_NO_DOCS: SANE_Status = 7;

pub const TYPE_BOOL: c_int = 0;
pub const TYPE_INT: c_int = 1;
pub const TYPE_FIXED: c_int = 2;
pub const TYPE_STRING: c_int = 3;

pub const UNIT_MM: c_int = 3;

pub const CAP_SOFT_SELECT: c_int = 1 << 0;
pub const CAP_INACTIVE: c_int = 1 << 5;

pub const INFO_RELOAD_OPTIONS: c_int = 1 << 1;

pub const CONSTRAINT_RANGE: c_int = 1;
pub const CONSTRAINT_WORD_LIST: c_int = 2;
pub const CONSTRAINT_STRING_LIST: c_int = 3;

pub const ACTION_GET_VALUE: c_int = 0;
pub const ACTION_SET_VALUE: c_int = 1;

pub const FRAME_GRAY: c_int = 0;
pub const FRAME_RGB: c_int = 1;
pub const FRAME_RED: c_int = 2;
pub const FRAME_GREEN: c_int = 3;
pub const FRAME_BLUE: c_int = 4;

#[repr(C)]
pub struct SANE_Device {
    pub name: *const c_char,
    pub vendor: *const c_char,
    pub model: *const c_char,
    pub kind: *const c_char,
}

#[repr(C)]
pub struct SANE_Range {
    pub min: SANE_Word,
    pub max: SANE_Word,
    pub quant: SANE_Word,
}

#[repr(C)]
pub union SANE_Constraint {
    pub string_list: *const *const c_char,
    pub word_list: *const SANE_Word,
    pub range: *const SANE_Range,
}

#[repr(C)]
pub struct SANE_Option_Descriptor {
    pub name: *const c_char,
    pub title: *const c_char,
    pub desc: *const c_char,
    pub kind: c_int,
    pub unit: c_int,
    pub size: SANE_Int,
    pub cap: SANE_Int,
    pub constraint_type: c_int,
    pub constraint: SANE_Constraint,
}

#[repr(C)]
#[derive(Default, Debug, Clone, Copy)]
pub struct SANE_Parameters {
    pub format: c_int,
    pub last_frame: SANE_Word,
    pub bytes_per_line: SANE_Int,
    pub pixels_per_line: SANE_Int,
    pub lines: SANE_Int,
    pub depth: SANE_Int,
}

pub type SANE_Auth_Callback =
    Option<unsafe extern "C" fn(resource: *const c_char, user: *mut c_char, pass: *mut c_char)>;

#[link(name = "sane")]
unsafe extern "C" {
    pub fn sane_init(version_code: *mut SANE_Int, authorize: SANE_Auth_Callback) -> SANE_Status;
    pub fn sane_exit();
    pub fn sane_get_devices(
        device_list: *mut *mut *const SANE_Device,
        local_only: SANE_Word,
    ) -> SANE_Status;
    pub fn sane_open(name: *const c_char, handle: *mut SANE_Handle) -> SANE_Status;
    pub fn sane_close(handle: SANE_Handle);
    pub fn sane_get_option_descriptor(
        handle: SANE_Handle,
        option: SANE_Int,
    ) -> *const SANE_Option_Descriptor;
    pub fn sane_control_option(
        handle: SANE_Handle,
        option: SANE_Int,
        action: c_int,
        value: *mut c_void,
        info: *mut SANE_Int,
    ) -> SANE_Status;
    pub fn sane_get_parameters(handle: SANE_Handle, params: *mut SANE_Parameters) -> SANE_Status;
    pub fn sane_start(handle: SANE_Handle) -> SANE_Status;
    pub fn sane_read(
        handle: SANE_Handle,
        data: *mut u8,
        max_length: SANE_Int,
        length: *mut SANE_Int,
    ) -> SANE_Status;
    pub fn sane_cancel(handle: SANE_Handle);
    pub fn sane_strstatus(status: SANE_Status) -> *const c_char;
}
