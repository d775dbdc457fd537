import KexecImage
print("xen-kexec-load: under construction")
