from django.core.management.base import BaseCommand

from regions.loader import load_regions


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) 34 tỉnh/thành, 3.321 xã/phường và bản đồ đơn vị cũ từ gói vietnam-provinces."

    def handle(self, *args: object, **options: object) -> None:
        counts = load_regions()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
